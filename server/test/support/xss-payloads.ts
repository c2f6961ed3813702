/**
 * A stored-XSS corpus for the browser tests. Every payload, if a renderer ever ran it, calls the
 * page's `__xss(id)` (the test defines it) instead of `alert`, so a test knows exactly which
 * payload executed and where. Each is one line with no edge whitespace: typed into a composer
 * or sent over a socket, it is stored and shown byte for byte, so a test can look for it as
 * literal text.
 */
export interface XssPayload {
  /** What the `__xss` call would report. */
  id: string;
  text: string;
}

const call = (id: string) => `__xss('${id}')`;

/** `__xss('<id>')` base64-encoded, for payloads that hide the call from a text filter. */
const b64 = (s: string) => Buffer.from(s).toString('base64');

export const XSS_PAYLOADS: XssPayload[] = [
  // Plain script and event-handler elements.
  { id: 'script', text: `<script>${call('script')}</script>` },
  { id: 'script-src-data', text: `<SCRIPT SRC=data:text/javascript,${call('script-src-data')}></SCRIPT>` },
  { id: 'img-onerror', text: `<img src=x onerror=${call('img-onerror')}>` },
  { id: 'img-quoted', text: `<img src="x" onerror="${call('img-quoted')}">` },
  { id: 'img-mixed-case', text: `<IMG SRC=x OnErRoR=${call('img-mixed-case')}>` },
  { id: 'img-slashes', text: `<img/src=x/onerror=${call('img-slashes')}>` },
  { id: 'img-srcset', text: `<img srcset=",,,,,x" onerror=${call('img-srcset')}>` },
  { id: 'img-base64-eval', text: `<img src=x onerror=eval(atob('${b64(call('img-base64-eval'))}'))>` },
  { id: 'svg-onload', text: `<svg onload=${call('svg-onload')}>` },
  { id: 'svg-script', text: `<svg><script>${call('svg-script')}</script></svg>` },
  { id: 'svg-animate', text: `<svg><animate onbegin=${call('svg-animate')} attributeName=x dur=1s>` },
  { id: 'svg-set', text: `<svg><set attributeName="onload" to="${call('svg-set')}"/></svg>` },
  { id: 'body-onload', text: `<body onload=${call('body-onload')}>` },
  { id: 'details-ontoggle', text: `<details open ontoggle=${call('details-ontoggle')}>` },
  { id: 'input-autofocus', text: `<input autofocus onfocus=${call('input-autofocus')}>` },
  { id: 'video-source', text: `<video><source onerror=${call('video-source')}></video>` },
  { id: 'audio-onerror', text: `<audio src=x onerror=${call('audio-onerror')}>` },
  { id: 'marquee-onstart', text: `<marquee onstart=${call('marquee-onstart')}>x</marquee>` },
  { id: 'isindex', text: `<isindex type=image src=1 onerror=${call('isindex')}>` },
  { id: 'template-tag', text: `<template><img src=x onerror=${call('template-tag')}></template>` },

  // Frames, objects, embeds.
  { id: 'iframe-srcdoc', text: `<iframe srcdoc="<script>parent.${call('iframe-srcdoc')}</script>"></iframe>` },
  { id: 'iframe-js-src', text: `<iframe src="javascript:${call('iframe-js-src')}"></iframe>` },
  { id: 'object-js', text: `<object data="javascript:${call('object-js')}"></object>` },
  { id: 'object-data-html', text: `<object data="data:text/html,<script>parent.${call('object-data-html')}</script>"></object>` },
  { id: 'embed-js', text: `<embed src="javascript:${call('embed-js')}">` },

  // javascript: and data: URLs, in HTML and markdown-like links.
  { id: 'md-link', text: `[click me](javascript:${call('md-link')})` },
  { id: 'md-link-entity', text: `[x](javascript:__xss&#40;'md-link-entity'&#41;)` },
  { id: 'md-image-breakout', text: `![img](x" onerror="${call('md-image-breakout')})` },
  { id: 'a-js', text: `<a href="javascript:${call('a-js')}">link</a>` },
  { id: 'a-tab-entity', text: `<a href="jav&#x09;ascript:${call('a-tab-entity')}">link</a>` },
  { id: 'a-decimal-entities', text: `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${call('a-decimal-entities')}">x</a>` },
  { id: 'a-data-html', text: `<a href="data:text/html,<script>${call('a-data-html')}</script>">x</a>` },
  { id: 'a-onclick', text: `<a href="https://example.com" onclick="${call('a-onclick')}">x</a>` },
  { id: 'bare-js-url', text: `javascript:${call('bare-js-url')}` },
  { id: 'bare-data-url', text: `data:text/html;base64,${b64(`<script>${call('bare-data-url')}</script>`)}` },
  // The widget turns http(s) URLs into links: what follows a URL must stay outside the href.
  { id: 'url-quote-breakout', text: `https://example.com/"><img src=x onerror=${call('url-quote-breakout')}>` },
  { id: 'url-script-query', text: `https://example.com/?q=<script>${call('url-script-query')}</script>` },
  { id: 'url-single-quote', text: `https://example.com/' onmouseover='${call('url-single-quote')}` },

  // Attribute and element breakouts.
  { id: 'breakout-double-quote', text: `"><img src=x onerror=${call('breakout-double-quote')}>` },
  { id: 'breakout-single-quote', text: `'><svg onload=${call('breakout-single-quote')}>` },
  { id: 'breakout-event-attr', text: `" onmouseover="${call('breakout-event-attr')}" x="` },
  { id: 'breakout-textarea', text: `</textarea><script>${call('breakout-textarea')}</script>` },
  { id: 'breakout-title', text: `</title><img src=x onerror=${call('breakout-title')}>` },
  { id: 'breakout-comment', text: `<!--<img src="--><img src=x onerror=${call('breakout-comment')}//">` },
  { id: 'breakout-cdata', text: `<![CDATA[<img src=x onerror=${call('breakout-cdata')}>]]>` },
  { id: 'nested-script', text: `<scr<script>ipt>${call('nested-script')}</scr</script>ipt>` },

  // Mutation XSS and namespace confusion (SVG / MathML / foreign content).
  { id: 'mxss-noscript', text: `<noscript><p title="</noscript><img src=x onerror=${call('mxss-noscript')}>">` },
  { id: 'mxss-math-style', text: `<math><mtext><table><mglyph><style><img src=x onerror=${call('mxss-math-style')}>` },
  { id: 'mxss-svg-style', text: `<svg></p><style><a id="</style><img src=1 onerror=${call('mxss-svg-style')}>">` },
  { id: 'mxss-form-math', text: `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${call('mxss-form-math')}>` },
  { id: 'math-annotation-xml', text: `<math><annotation-xml encoding="text/html"><img src=x onerror=${call('math-annotation-xml')}></annotation-xml></math>` },
  { id: 'svg-foreign-object', text: `<svg><foreignObject><img src=x onerror=${call('svg-foreign-object')}></foreignObject></svg>` },
  { id: 'svg-xlink', text: `<svg><a xlink:href="javascript:${call('svg-xlink')}"><text x="0" y="20">x</text></a></svg>` },
  { id: 'svg-style-namespace', text: `<svg><style><img src=x onerror=${call('svg-style-namespace')}></style></svg>` },
  { id: 'xmp', text: `<xmp><img src=x onerror=${call('xmp')}></xmp>` },

  // Styles.
  { id: 'style-url', text: `<div style="background:url(javascript:${call('style-url')})">x</div>` },
  { id: 'style-expression', text: `<div style="width:expression(${call('style-expression')})">x</div>` },
  { id: 'style-import', text: `<style>@import 'javascript:${call('style-import')}';</style>` },
  { id: 'link-stylesheet', text: `<link rel=stylesheet href="javascript:${call('link-stylesheet')}">` },
  { id: 'meta-refresh', text: `<meta http-equiv="refresh" content="0;url=javascript:${call('meta-refresh')}">` },
  { id: 'base-href', text: `<base href="javascript:${call('base-href')}//">` },

  // Template injection: strings a client-side template engine would evaluate.
  { id: 'js-template-literal', text: `\${${call('js-template-literal')}}` },
  { id: 'angular-constructor', text: `{{constructor.constructor("${call('angular-constructor')}")()}}` },
  { id: 'mustache', text: `{{7*7}}{{${call('mustache')}}}` },
  { id: 'erb', text: `<%= ${call('erb')} %>` },
  { id: 'ruby-interpolation', text: `#{${call('ruby-interpolation')}}` },
  { id: 'vue-v-html', text: `<div v-html="'<img src=x onerror=${call('vue-v-html')}>'"></div>` },

  // Encoded and unicode variants: must show as typed, never decoded into markup.
  { id: 'entity-lt-gt', text: `&lt;img src=x onerror=${call('entity-lt-gt')}&gt;` },
  { id: 'entity-decimal', text: `&#60;script&#62;${call('entity-decimal')}&#60;/script&#62;` },
  { id: 'entity-in-handler', text: `<img src=x onerror=&#95;&#95;xss('entity-in-handler')>` },
  { id: 'js-unicode-escape', text: `\\u003cimg src=x onerror=${call('js-unicode-escape')}\\u003e` },
  { id: 'url-encoded', text: `%3Cimg%20src%3Dx%20onerror%3D${call('url-encoded')}%3E` },
  { id: 'fullwidth', text: `＜script＞${call('fullwidth')}＜/script＞` },
  { id: 'zero-width-tag', text: `<im\u200Bg src=x onerror=${call('zero-width-tag')}>` },
  { id: 'rtl-override', text: `\u202E<img src=x onerror=${call('rtl-override')}>\u202C` },
];

/**
 * Bot replies an admin could save as a template variant: what the template renderer leaves as
 * it is (no `{{…}}`, no space before punctuation), so the visitor sees exactly this text.
 */
export const XSS_TEMPLATE_VARIANT = `Здравствуйте! <img src=x onerror=${call('template-img')}> <svg onload=${call('template-svg')}> "><script>${call('template-script')}</script>`;

/** Names a page might pass to `setVisitor`: markup is refused; quotes alone are a plain name. */
export const XSS_NAME_WITH_MARKUP = `<img src=x onerror=${call('name-markup')}>`;
export const XSS_NAME_WITH_QUOTES = `" autofocus onfocus="${call('name-quotes')}" x="`;
