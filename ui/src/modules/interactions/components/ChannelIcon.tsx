import type { InteractionChannel } from "../../../api/generated";

/** Small monochrome glyphs, bundled inline (the window runs offline); the word always goes with them. */
const PATHS: Record<InteractionChannel, string> = {
  phone: "M4 1.5h2.5l1 3-1.8 1.2a8 8 0 0 0 3.6 3.6l1.2-1.8 3 1V11c0 1-.8 2-2 2A10.5 10.5 0 0 1 2 3.5c0-1.2 1-2 2-2z",
  email: "M1.5 3.5h13v9h-13zM1.5 3.5 8 9l6.5-5.5",
  meeting: "M5 6.5a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm6 0a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM1 13c0-2.2 1.8-4 4-4s4 1.8 4 4M7 13c0-2.2 1.8-4 4-4s4 1.8 4 4",
  letter: "M3 1.5h7l3 3v10H3zM10 1.5v3h3M5.5 8h5M5.5 10.5h5",
  chat: "M2 2.5h12v8H7l-3.5 3v-3H2z",
  visit: "M8 14.5s5-4.7 5-8.5a5 5 0 0 0-10 0c0 3.8 5 8.5 5 8.5zM8 7.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z",
};

export function ChannelIcon({ channel }: { channel: InteractionChannel }) {
  return (
    <svg className="channel-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[channel]} />
    </svg>
  );
}
