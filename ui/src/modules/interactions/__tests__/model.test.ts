import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { interaction, topic } from "../../../test/fakeInteractions";
import { dayStart, draftOf, filterTopics, fromLocalInput, hitMoment, historyInput, interactionChanges, logInput, newDraft, NO_FILTER, toLocalInput } from "../model";

// Moments are read in the computer's time zone: one far from UTC (and without summer time since
// 2022) makes a local time sent as if it were UTC fail here, whatever zone the tests run in.
beforeAll(() => {
  vi.stubEnv("TZ", "Asia/Tehran");
});
afterAll(() => {
  vi.unstubAllEnvs();
});

const ME = "0198e000-0000-7000-8000-0000000000a1";

describe("moments as the window's controls hold them", () => {
  it("reads a datetime-local value in the computer's zone and sends it as a UTC instant", () => {
    expect(fromLocalInput("2026-11-20T15:30")).toBe("2026-11-20T12:00:00.000Z");
    expect(toLocalInput(new Date("2026-11-20T12:00:00Z"))).toBe("2026-11-20T15:30");
    expect(fromLocalInput("")).toBeNull();
  });

  it("turns a period of calendar days into instants: from the first day's start to the day after the last", () => {
    expect(dayStart("2026-11-01")).toBe("2026-10-31T20:30:00.000Z");
    expect(dayStart("2026-11-30", 1)).toBe("2026-11-30T20:30:00.000Z");
    expect(historyInput({ organisationId: "org" }, { ...NO_FILTER, from: "2026-11-01", to: "2026-11-30" })).toEqual({
      limit: 50,
      organisation_id: "org",
      from: "2026-10-31T20:30:00.000Z",
      to: "2026-11-30T20:30:00.000Z",
    });
  });

  it("reads the time the core writes in an interaction's search hit", () => {
    expect(hitMoment("2026-11-20 08:00 UTC")?.toISOString()).toBe("2026-11-20T08:00:00.000Z");
    expect(hitMoment("Moscow")).toBeNull();
  });
});

describe("what the dialog sends", () => {
  it("sends only what the person set: no time, form or responsible person left as they were", () => {
    const opened = newDraft({ kind: "organisation", organisation: { id: "org", name: "Acme" } }, ME, new Date("2026-12-07T09:00:00Z"));
    const draft = { ...opened, topicId: "topic", summary: "Called." };
    expect(logInput(opened, draft, ME, {})).toEqual({ topic_id: "topic", channel: "phone", summary: "Called.", organisation_id: "org" });
    const later = { ...draft, when: "2026-12-07T10:00", channel: "email" as const, form: "visual" as const, responsibleId: "boris" };
    expect(logInput(opened, later, ME, {})).toEqual({
      topic_id: "topic",
      channel: "email",
      form: "visual",
      summary: "Called.",
      organisation_id: "org",
      happened_at: "2026-12-07T06:30:00.000Z",
      responsible_id: "boris",
    });
  });

  it("corrects whom it was with by one id: a contact without an organisation (the core takes the contact's), an organisation without a contact", () => {
    const stored = interaction({ contact_id: "anna", organisation_id: "acme", channel: "email", form: "written" });
    const opened = draftOf(stored, { kind: "contact", contact: { id: "anna", name: "Anna" }, organisation: { id: "acme", name: "Acme" } });
    expect(opened.form).toBeNull();
    expect(interactionChanges(stored, opened, opened, {})).toEqual({});
    expect(interactionChanges(stored, opened, { ...opened, whom: { kind: "contact", contact: { id: "petr", name: "Petr" }, organisation: null } }, {})).toEqual({
      contact_id: "petr",
      organisation_id: null,
    });
    expect(interactionChanges(stored, opened, { ...opened, whom: { kind: "organisation", organisation: { id: "globex", name: "Globex" } } }, {})).toEqual({
      contact_id: null,
      organisation_id: "globex",
    });
    // The form follows a new channel while it was the usual one.
    expect(interactionChanges(stored, opened, { ...opened, channel: "meeting" }, {})).toEqual({ channel: "meeting", form: "oral" });
  });
});

describe("topics matched as people type", () => {
  it("ignores letter case and the Arabic letters a Persian keyboard may type, those starting with the text first", () => {
    const topics = [topic({ id: "1", name: "Returned delivery" }), topic({ id: "2", name: "Delivery" }), topic({ id: "3", name: "مشتري ويژه" })];
    expect(filterTopics(topics, "DELI").map((t) => t.id)).toEqual(["2", "1"]);
    expect(filterTopics(topics, "مشتری").map((t) => t.id)).toEqual(["3"]);
    expect(filterTopics(topics, "").map((t) => t.id)).toEqual(["1", "2", "3"]);
  });
});
