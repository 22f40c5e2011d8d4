export type FeedErrorCode = "FEED_FETCH" | "FEED_TOO_LARGE" | "FEED_PARSE" | "FEED_CONFIG" | "FEED_APPLY";

/** The feeds package's one error class; fetch and parse failures become a feed's `last_error`. */
export class FeedError extends Error {
  constructor(
    readonly code: FeedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "FeedError";
  }
}
