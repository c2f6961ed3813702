/**
 * Every channel names its visitors in its own space. The widget's visitorId is `[\w-]+` (the
 * handshake refuses anything else), so a REST caller's `client_id` is stored as
 * `rest:<platform>:<client_id>`: no widget visitor can ever name a REST conversation, nor the
 * other way round. The platform is percent-encoded so that it cannot contain the separator.
 */
const REST_ID = /^rest:[^:]*:([\s\S]*)$/;

export function restVisitorId(platform: string, clientId: string): string {
  return `rest:${encodeURIComponent(platform)}:${clientId}`;
}

/** The caller's own `client_id` back from a stored REST visitor id (other ids pass unchanged). */
export function restClientId(visitorExternalId: string): string {
  return REST_ID.exec(visitorExternalId)?.[1] ?? visitorExternalId;
}

/** A Telegram chat of the site's bot: `telegram:<chat id>` (no widget id has a colon, no REST id starts so). */
export function telegramVisitorId(chatId: string): string {
  return `telegram:${chatId}`;
}
