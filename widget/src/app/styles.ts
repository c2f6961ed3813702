/**
 * The panel's styles, added to the shadow root by the loader (`host.css`: a constructed
 * stylesheet, allowed by a strict CSP): nothing leaks into the page and the page's CSS does not
 * reach in. The font and colour are the host element's (inline, see widget/src/loader.ts). Pages
 * can recolour with `--sc-accent` (inherited through the shadow boundary) and restyle
 * `::part(launcher)` / `::part(panel)`. The panel is placed in the host box, which is the visual
 * viewport; `:host([full])` is a phone-sized one, which the panel fills. Buttons are 44 px: touch targets.
 */
export const CSS = `
:host{--a:var(--sc-accent,#1f5fd1)}
*{box-sizing:border-box}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.b{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#e5484d;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.panel{position:absolute;right:20px;bottom:96px;pointer-events:auto;width:min(370px,calc(100% - 40px));height:min(600px,calc(100% - 116px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(16,24,40,.28);overflow:hidden}
.head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:14px 10px 14px 18px;background:var(--a);color:#fff}
.head div{flex:1}
.av{width:36px;height:36px;border-radius:50%;object-fit:cover;background:#fff}
.head h2{margin:0;font-size:17px;font-weight:600;line-height:1.3}
.presence,.sub{margin:2px 0 0;font-size:13px;opacity:.92;display:flex;align-items:center;gap:6px}
.dot{width:9px;height:9px;border-radius:50%;background:#aab3c0}
.dot.on{background:#3ddc84}
.dot.bot{background:#ffd166}
.x{width:44px;height:44px;border:0;border-radius:50%;background:none;color:inherit;cursor:pointer;display:grid;place-items:center}
.x svg,.send svg{width:20px;height:20px}
.away{padding:10px 16px;background:#eef2f7;border-bottom:1px solid #dde3ea;font-size:14px}
.incident{padding:10px 16px;background:#fff4e5;color:#7a4100;border-bottom:1px solid #f3d3a3;font-size:14px}
.incident.ok{background:#e8f7ee;color:#135c31;border-color:#b8e3c7}
.log{flex:1;overflow-y:auto;padding:16px 14px 8px;display:flex;flex-direction:column;gap:10px;background:#f4f6f9;overscroll-behavior:contain}
.m{display:flex;flex-direction:column;align-items:flex-start;align-self:flex-start;max-width:82%;margin:0}
.m.visitor{align-items:flex-end;align-self:flex-end}
.m.system{align-items:center;align-self:center;max-width:92%;text-align:center;color:#5b6577;font-size:13px}
.bubble{padding:9px 13px;border-radius:16px 16px 16px 4px;background:#fff;box-shadow:0 1px 2px rgba(16,24,40,.1);white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .bubble{background:var(--a);color:#fff;border-radius:16px 16px 4px 16px}
.system .bubble{padding:0;background:none;box-shadow:none}
.failed .bubble{opacity:.65}
.bubble a{color:inherit}
.src{margin:3px 4px 0;font-size:12px;color:#5b6577}
.src a{color:var(--a)}
.who{margin:0 0 3px 4px;font-size:12px;color:#5b6577}
.meta{margin:3px 4px 0;font-size:11px;color:#6f7a8b}
.err{color:#c62828}
.retry{margin-left:6px;padding:1px 9px;border:1px solid currentColor;border-radius:10px;background:#fff;color:#c62828;font:inherit;cursor:pointer}
.typing{display:flex;align-items:center;gap:6px;min-height:24px;padding:0 18px 4px;background:#f4f6f9;color:#5b6577;font-size:13px}
.dots{display:inline-flex;gap:3px}
.dots i{width:5px;height:5px;border-radius:50%;background:currentColor;animation:sc-b 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}
.dots i:nth-child(3){animation-delay:.4s}
@keyframes sc-b{0%,60%,100%{opacity:.25}30%{opacity:1}}
.rating{padding:10px 16px 12px;border-top:1px solid #e4e8ee;text-align:center;font-size:14px}
.rating p{margin:0 0 8px}
.stars{display:flex;justify-content:center;gap:8px}
.stars button{width:44px;height:44px;border:1px solid #cfd6e0;border-radius:50%;background:#fff;color:inherit;font:inherit;font-weight:600;cursor:pointer}
.stars button:hover,.stars button:focus-visible{background:var(--a);border-color:var(--a);color:#fff}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e4e8ee;background:#fff}
textarea{flex:1;min-height:44px;max-height:120px;padding:10px 12px;border:1px solid #cfd6e0;border-radius:12px;resize:none;font:inherit;font-size:16px;line-height:1.3;color:inherit;background:#fff;outline:none}
textarea:focus{border-color:var(--a)}
.send{flex:none;width:44px;height:44px;border:0;border-radius:50%;background:var(--a);color:#fff;cursor:pointer;display:grid;place-items:center}
button:focus-visible,.log:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
:host([left]) .l,:host([left]) .panel{right:auto;left:20px}
:host([full]) .panel{inset:0;width:auto;height:auto;border-radius:0}
:host([full]) .l[aria-expanded=true]{display:none}
:host([full]) .retry{min-width:44px;min-height:44px}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;
