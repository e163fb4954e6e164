// The roots under which modules cache records. A change made away from a module's screens (a
// conflict resolved on the conflicts screen) marks that kind's cached lists out of date through
// these, without reaching into the module that shows them.

/** Everything the customers module caches: organisation lists and searches, a card's archived contacts. */
export const CUSTOMERS_KEY = ["customers"] as const;
