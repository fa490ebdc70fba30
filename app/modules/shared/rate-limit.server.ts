import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { DomainError } from "./errors";

/**
 * A budget of `points` per `seconds` per key (a user id), counted in this process. `take` throws
 * a rate_limited DomainError with the seconds to wait, which a form shows in its error summary.
 */
export function budget(name: string, points: number, seconds: number) {
  const limiter = new RateLimiterMemory({ keyPrefix: name, points, duration: seconds });
  return {
    points,
    seconds,
    take: async (key: string | number) => {
      try {
        await limiter.consume(String(key));
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        throw new DomainError("rate_limited", "errors.rateLimited", { seconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) });
      }
    },
  };
}

/** Sign-up attempts per login name: what still holds when a venue code lifts the per-address ceiling. */
export const signupPerLogin = budget("signup-login", 5, 600);

/** Room actions sent as plain form posts, per user: the socket's post budget, for every intent. */
export const roomFormBudget = budget("room-form", 30, 10);

/** Comment actions sent as plain form posts, per user: what a socket's `comments:post` may spend. */
export const commentFormBudget = budget("comment-form", 30, 10);
