// The roots under which modules cache records. A change made away from a module's screens (a
// conflict resolved on the conflicts screen) marks that kind's cached lists out of date through
// these, without reaching into the module that shows them.

/** Everything the customers module caches: organisation lists and searches, a card's archived contacts. */
export const CUSTOMERS_KEY = ["customers"] as const;
/**
 * Everything the interactions module caches: every page of every history (a customer's, an
 * employee's, under any filter). A new or corrected interaction marks them all out of date, since
 * one interaction shows in its organisation's, its contact's and its responsible person's history.
 */
export const INTERACTIONS_KEY = ["interactions"] as const;
/**
 * Every list of attached files (a record's, for any kind of record). Attaching or removing one
 * marks them all out of date, so every panel showing that record's files reads them again; so
 * does a sync, which may bring files that had not reached this computer.
 */
export const ATTACHMENTS_KEY = ["attachments"] as const;
