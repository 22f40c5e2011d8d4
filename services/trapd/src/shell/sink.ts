/** Output of one line (and of each `$(…)`), bounded: beyond the cap it is dropped and flagged. */
export class Sink {
  text = "";
  full = false;
  constructor(private readonly max: number) {}
  add(s: string): void {
    if (this.full) return;
    if (this.text.length + s.length > this.max) {
      this.text += s.slice(0, this.max - this.text.length);
      this.full = true;
    } else this.text += s;
  }
}
