// Interaction topics (COMM-1 "what"), read once and shared: the log dialog offers the active ones,
// histories name every one (a retired topic still names the interactions logged under it), and
// administration keeps the list and marks it out of date after each change.

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useClient } from "../../api/ApiProvider";
import type { InteractionTopic } from "../../api/generated";

export const TOPICS_KEY = ["interaction-topics"] as const;

/** A dialog opened after another window changed the topics sees the change within this time. */
const KEEP_FOR_MS = 60 * 1000;
const NO_TOPICS: InteractionTopic[] = [];

/**
 * Every topic by name, the retired ones too (one read serves the dialog, the histories and
 * administration); `active` are those a new interaction may take. Not asked for while not `wanted`.
 */
export function useTopics(wanted = true) {
  const client = useClient();
  const query = useQuery({
    queryKey: TOPICS_KEY,
    queryFn: async () => (await client.call("interactions.list_topics", { include_retired: true })).topics,
    enabled: wanted,
    staleTime: KEEP_FOR_MS,
    // A refusal is about the person's permissions: every dialog opened need not ask again.
    retryOnMount: false,
  });
  const all = query.data ?? NO_TOPICS;
  const active = useMemo(() => all.filter((topic) => topic.archived_at === null), [all]);
  const byId = useMemo(() => new Map(all.map((topic) => [topic.id, topic])), [all]);
  return {
    all,
    active,
    byId,
    /** The answer has arrived: an empty `active` means there are no topics to offer. */
    settled: query.data !== undefined,
    error: query.error,
    reload: query.refetch,
  };
}

/** Marks the topics out of date (after one was added, renamed, retired or restored). */
export function useRefreshTopics() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: TOPICS_KEY }), [queryClient]);
}

/**
 * Adds a topic (`interactions.define_topic`) and shows it at once wherever topics are offered,
 * before the list is read again. Rejects with the core's ApiError (a duplicate name: `name`).
 */
export function useDefineTopic() {
  const client = useClient();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const define = useCallback(
    async (name: string): Promise<InteractionTopic> => {
      setPending(true);
      try {
        const topic = await client.call("interactions.define_topic", { name });
        queryClient.setQueryData<InteractionTopic[]>(TOPICS_KEY, (topics) => topics && [...topics, topic]);
        void queryClient.invalidateQueries({ queryKey: TOPICS_KEY });
        return topic;
      } finally {
        setPending(false);
      }
    },
    [client, queryClient],
  );
  return { define, pending };
}
