/**
 * Two widget settings change what visitors get from the server (issue 13): `operatorName` stands
 * in for each operator's own name on operators' messages — for visitors only, the console keeps
 * the real name — and `askEmailWhenOffline: false` makes the hand-off with nobody online say so
 * without asking for an email.
 */
import type { MessageDto, SiteDto } from '@support-chat/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../src/domain/templates/default-templates.ts';
import { chatTestKit } from './support/chat-test-kit.ts';
import { collect, connected, STORAGE_MODES, waitFor } from './support/test-server.ts';

const ADA = { email: 'ada@example.com', name: 'Ada', password: 'ada password 0123' };
const TEAM_NAME = 'Поддержка СеверНет';

describe.each(STORAGE_MODES)("a site's settings shape what its visitors see (%s)", (mode) => {
  const kit = chatTestKit(mode);
  const { ok, send } = kit;
  const visitor = (visitorId: string) => kit.widget({ visitorId });

  it('with nobody online and no email wanted, the hand-off does not ask for one; then visitors see the team name on operators\u2019 messages', async () => {
    const owner = await kit.console();
    const updated = await ok<SiteDto>(owner, 'sites:update', { siteKey: 'demo', settings: { operatorName: TEAM_NAME, askEmailWhenOffline: false } });
    expect(updated.settings).toMatchObject({ operatorName: TEAM_NAME, askEmailWhenOffline: false });

    const visitorId = `visitor-${crypto.randomUUID()}`;
    const widget = visitor(visitorId);
    const online = collect<{ count: number }>(widget, 'operators:online');
    const messages = collect<MessageDto>(widget, 'message:new');
    await connected(widget);
    // The owner leaves: nobody can answer the demo site now.
    owner.disconnect();
    await waitFor(() => online.at(-1)?.count === 0);

    const sent = await send(widget, 'позовите оператора, пожалуйста');
    if (!sent.ok) throw new Error(sent.error.message);
    const handoff = await waitFor(() => messages.find((m) => m.author === 'bot'));
    expect(handoff.text).toBe(DEFAULT_TEMPLATES.ESCALATION_OFFLINE_NO_EMAIL!.ru[0]);
    expect(handoff.text).not.toMatch(/email|почт/i);

    // An operator of the site answers: the console shows who, the widget the team's name.
    const admin = await kit.console();
    await ok(admin, 'members:add', { siteKey: 'demo', email: ADA.email, name: ADA.name, password: ADA.password, role: 'operator' });
    const ada = await kit.console(ADA);
    const { conversationId } = sent.data;
    await ok(ada, 'conversation:claim', { conversationId });
    await ok(ada, 'conversation:open', { conversationId });
    const watched = collect<MessageDto>(ada, 'conversation:message');
    const acked = await ok<MessageDto>(ada, 'conversation:reply', { conversationId, text: 'Здравствуйте, я помогу', clientMessageId: crypto.randomUUID() });
    expect(acked.operatorName).toBe(ADA.name);
    const toVisitor = await waitFor(() => messages.find((m) => m.author === 'operator'));
    expect(toVisitor).toMatchObject({ text: 'Здравствуйте, я помогу', operatorName: TEAM_NAME });
    expect((await waitFor(() => watched.find((m) => m.author === 'operator'))).operatorName).toBe(ADA.name);

    // A reconnecting widget's history carries the team name too.
    const again = visitor(visitorId);
    const history = new Promise<{ messages: MessageDto[] }>((resolve) => again.once('history', resolve));
    await connected(again);
    expect((await history).messages.filter((m) => m.author === 'operator').map((m) => m.operatorName)).toEqual([TEAM_NAME]);

    // Without a team name, visitors see the operator's display name — and never the account's name.
    await ok(admin, 'sites:update', { siteKey: 'demo', settings: { operatorName: '' } });
    await ok(ada, 'conversation:reply', { conversationId, text: 'Это снова я', clientMessageId: crypto.randomUUID() });
    expect((await waitFor(() => messages.find((m) => m.text === 'Это снова я'))).operatorName).toBeNull();
    await ok(ada, 'operator:profile:update', { displayName: 'Ада', avatarUrl: 'https://cdn.example/ada.png' });
    await ok(ada, 'conversation:reply', { conversationId, text: 'И ещё раз я', clientMessageId: crypto.randomUUID() });
    expect(await waitFor(() => messages.find((m) => m.text === 'И ещё раз я'))).toMatchObject({ operatorName: 'Ада', avatarUrl: 'https://cdn.example/ada.png' });
  });
});
