/** A bounded map that forgets the least recently used entry past `max` (insertion order = use order). */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  evicted = 0;
  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  getOrCreate(key: K, make: () => V): V {
    let v = this.get(key);
    if (v === undefined) {
      v = make();
      this.map.set(key, v);
      if (this.map.size > this.max) {
        this.map.delete(this.map.keys().next().value as K);
        this.evicted++;
      }
    }
    return v;
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  /** Oldest first; does not count as use. */
  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }
}
