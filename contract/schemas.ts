import { z } from "zod";
import { ID_PATTERN } from "./ids.ts";
import { LIMITS } from "./limits.ts";

const id = z.string().regex(ID_PATTERN, "must match [A-Za-z0-9_-]{1,64}");

/** `PUT /events/{eventId}` body. */
export const CreateEventRequest = z
  .object({
    sections: z
      .array(z.object({ id, seats: z.number().int().min(1).max(LIMITS.maxSeatsPerEvent) }).strict())
      .min(1)
      .max(LIMITS.maxSections),
    holdTtlMs: z.number().int().min(LIMITS.minHoldTtlMs).max(LIMITS.maxHoldTtlMs).default(LIMITS.defaultHoldTtlMs),
  })
  .strict()
  .superRefine((body, ctx) => {
    const total = body.sections.reduce((sum, s) => sum + s.seats, 0);
    if (total > LIMITS.maxSeatsPerEvent) {
      ctx.addIssue({
        code: "custom",
        path: ["sections"],
        message: `at most ${LIMITS.maxSeatsPerEvent} seats per event`,
      });
    }
    const seen = new Set<string>();
    body.sections.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({ code: "custom", path: ["sections", i, "id"], message: "duplicate section id" });
      seen.add(s.id);
    });
  });
export type CreateEventRequest = z.infer<typeof CreateEventRequest>;

/** `POST /events/{eventId}/holds` body. */
export const HoldRequest = z.object({ seatId: z.string().min(3).max(130), userId: id, requestId: id }).strict();
export type HoldRequest = z.infer<typeof HoldRequest>;

/** `POST .../holds/{holdId}/confirm` body (optional): a request id makes retries explicit; confirm is idempotent anyway. */
export const ConfirmRequest = z.object({ requestId: id.optional() }).strict();
export type ConfirmRequest = z.infer<typeof ConfirmRequest>;

/** `GET /events/{eventId}/seats` query. */
export const SeatsQuery = z
  .object({
    status: z.enum(["available", "held", "sold"]).optional(),
    section: id.optional(),
    limit: z.coerce.number().int().min(1).max(LIMITS.maxListLimit).default(LIMITS.defaultListLimit),
  })
  .strict();
export type SeatsQuery = z.infer<typeof SeatsQuery>;

export const SeatStatus = z.enum(["available", "held", "sold"]);
export type SeatStatus = z.infer<typeof SeatStatus>;

export const EventLayout = z.object({
  eventId: id,
  sections: z.array(z.object({ id, seats: z.number().int() })),
  holdTtlMs: z.number().int(),
});
export type EventLayout = z.infer<typeof EventLayout>;

export const EventSummary = z.object({
  eventId: id,
  capacity: z.number().int().nonnegative(),
  available: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
  sold: z.number().int().nonnegative(),
});
export type EventSummary = z.infer<typeof EventSummary>;

export const SeatList = z.object({ seats: z.array(z.object({ seatId: z.string(), status: SeatStatus })) });
export type SeatList = z.infer<typeof SeatList>;

export const Hold = z.object({
  holdId: z.string().min(1),
  seatId: z.string(),
  userId: id,
  expiresAt: z.string().datetime(),
});
export type Hold = z.infer<typeof Hold>;

export const Booking = z.object({
  bookingId: z.string().min(1),
  eventId: id,
  seatId: z.string(),
  userId: id,
  status: z.literal("confirmed"),
});
export type Booking = z.infer<typeof Booking>;

export const Health = z.object({
  status: z.literal("ok"),
  app: z.enum(["stateless", "stateful"]),
  node: z.string(),
});
export type Health = z.infer<typeof Health>;

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
