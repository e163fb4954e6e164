import { formatPhone, isStoredPhone } from "../format";
import { useLanguage } from "../useLanguage";

/** A stored phone as it is dialled: international format, Latin digits, isolated left to right. */
export function Phone({ value }: { value: string }) {
  const language = useLanguage();
  return <bdi dir="ltr">{formatPhone(value, language)}</bdi>;
}

/** Free text the core may have filled with a stored phone (a search hit's subtitle): a phone is shown as one. */
export function TextOrPhone({ text }: { text: string }) {
  return isStoredPhone(text) ? <Phone value={text} /> : text;
}
