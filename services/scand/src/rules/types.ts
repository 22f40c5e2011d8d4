/** What a rule concludes: the reason bits and a sentence a person can read. */
export interface Finding {
  reasons: number;
  evidence: string;
}
