/**
 * `pnpm identity:secret --site demo [--rotate] [--require on|off] [--allow-originless on|off]` —
 * the site's visitor identity secret, for its backend to sign user ids with (README "Verify
 * visitors"). The secret is printed once, when it is made (first run) or replaced (`--rotate`);
 * later runs only change and show the switches. Running servers see changes within 30 s (their
 * site cache).
 */
import { parseArgs } from 'node:util';
import { openCliDatabase } from './open-cli-database.ts';
import { SiteIdentitySettings } from '../adapters/db/site-identity-settings.ts';

const USAGE = 'usage: pnpm identity:secret --site SITE_KEY [--rotate] [--require on|off] [--allow-originless on|off]';
const { values } = parseArgs({
  options: {
    site: { type: 'string' },
    rotate: { type: 'boolean', default: false },
    require: { type: 'string' },
    'allow-originless': { type: 'string' },
  },
});
const onOff = (v: string | undefined): boolean | undefined | 'bad' => (v === undefined ? undefined : v === 'on' ? true : v === 'off' ? false : 'bad');
const requireVerifiedIdentity = onOff(values.require);
const allowOriginless = onOff(values['allow-originless']);
if (!values.site || requireVerifiedIdentity === 'bad' || allowOriginless === 'bad') {
  console.error(USAGE);
  process.exit(2);
}

const { db } = await openCliDatabase('identity:secret');
try {
  const settings = await new SiteIdentitySettings(db.prisma).apply(values.site, { rotate: values.rotate, requireVerifiedIdentity, allowOriginless });
  if (!settings) {
    console.error(`identity:secret: no site with key "${values.site}"`);
    process.exitCode = 1;
  } else {
    if (settings.newSecret) {
      // stdout carries the secret alone, so `SECRET=$(pnpm -s identity:secret --site demo)` works.
      console.log(settings.newSecret);
      console.error('identity:secret: shown once — keep it on the site\'s backend only (never in a page)');
    } else {
      console.error('identity:secret: the site has a secret already (--rotate replaces it)');
    }
    const onOffText = (b: boolean) => (b ? 'on' : 'off');
    console.error(`identity:secret: require verified identity: ${onOffText(settings.requireVerifiedIdentity)}, allow originless clients: ${onOffText(settings.allowOriginless)}`);
  }
} finally {
  await db.close();
}
