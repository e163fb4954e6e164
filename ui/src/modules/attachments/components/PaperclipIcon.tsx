/** A small paperclip, bundled inline like the channels' glyphs; the word always goes with it. */
export function PaperclipIcon() {
  return (
    <svg className="channel-icon attachment-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M10.5 4.5 5.2 9.8a1.3 1.3 0 0 0 1.8 1.8l5.6-5.6a2.6 2.6 0 0 0-3.7-3.7L3.3 7.9a3.9 3.9 0 0 0 5.5 5.5l4.7-4.7" />
    </svg>
  );
}
