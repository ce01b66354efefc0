export const id = 662;
export const ids = [662];
export const modules = {

/***/ 662:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3340);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6856);
/* harmony import */ var _github_session_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4051);
/* harmony import */ var _http_fetch_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2520);
/* harmony import */ var _origin_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8363);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9899);
/* harmony import */ var _transient_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5943);









const GUARDED = Symbol('argocd-actions.guarded-fetch');
/** Redirects the client may follow by itself: reads within the origin, a few hops at most. */
const MAX_REDIRECTS = 5;
const SAFE_METHODS = new Set(['GET', 'HEAD']);
/**
 * The fetch every request goes through: a per-attempt timeout, and redirects handed back to
 * the caller instead of followed (fetch would send the request on to any host). Refuses another
 * origin too, as a last line behind the request hook, which checks first and explains better.
 */
function guardedFetch(inner, timeoutMs, base, source) {
    const guarded = (input, init) => {
        // Not `instanceof Request`: the global would load Node's fetch, start-up time for nothing.
        const url = typeof input === 'object' && 'url' in input ? input.url : String(input);
        (0,_origin_js__WEBPACK_IMPORTED_MODULE_4__/* .assertSameOrigin */ .dp)(url, { base, source, method: init?.method });
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        return inner(input, { ...init, signal, redirect: 'manual' });
    };
    guarded[GUARDED] = true;
    return guarded;
}
/**
 * Kept out of the core index and loaded with import() once inputs are valid: @actions/github
 * and the plugins are most of a bundle's start-up time, which a failed input should not pay.
 *
 * An Octokit with GitHub's official retry and throttling plugins, a per-request timeout and
 * a memory of the token's expiry header, so a later 401 can be told apart as "expired".
 *
 * The token only goes to baseUrl's origin: every request (pagination links and URLs taken from
 * answers included) is checked before it is sent, and redirects are not followed by fetch. A
 * read redirected within the origin (a renamed repository) is followed here; any other
 * redirect fails, a write's always: it was not carried out.
 */
function createGitHubClient(opts) {
    const log = opts.log ?? {
        debug: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(m),
        info: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(m),
        warn: (m) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m),
    };
    const retries = opts.retries ?? 3;
    const maxWait = opts.maxRateLimitWaitSeconds ?? 120;
    // plugin-retry has no jitter of its own; a per-client random base spreads matrix jobs apart.
    const retryBase = Math.round((opts.retryBaseMs ?? 1000) * (0.5 + Math.random()));
    const onLimit = (kind) => (retryAfter, options, _o, retryCount) => {
        if (retryCount < retries && retryAfter <= maxWait) {
            log.warn(`GitHub ${kind} on ${options.method} ${options.url}: retrying in ${retryAfter} s (attempt ${retryCount + 2} of ${retries + 1})`);
            return true;
        }
        log.warn(`GitHub ${kind} on ${options.method} ${options.url}: giving up (retry-after ${retryAfter} s)`);
        return false;
    };
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(opts.token, {
        baseUrl: opts.baseUrl.replace(/\/+$/, ''),
        userAgent: opts.userAgent ?? 'argocd-actions',
        // Replaces @actions/github's undici fetch (http-fetch.ts says why); proxies apply alike.
        request: { fetch: _http_fetch_js__WEBPACK_IMPORTED_MODULE_3__/* .httpFetch */ .t },
        log: { debug: log.debug, info: log.debug, warn: log.warn, error: log.warn },
        // The shared convention (transient.ts): plugin-retry's own list retried 409, 405, 412, ...
        // Rate limits (429; 403s are already here) are left to plugin-throttling and the hook
        // below, which honour the wait asked for: plugin-retry retried each of their attempts.
        retry: {
            retries,
            retryAfterBaseValue: retryBase,
            doNotRetry: [..._transient_js__WEBPACK_IMPORTED_MODULE_5__/* .PERMANENT_CLIENT_STATUSES */ .CC, 429],
        },
        throttle: {
            enabled: opts.throttling ?? true,
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_6__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_7__/* .throttling */ .A);
    const remember = (0,_github_session_js__WEBPACK_IMPORTED_MODULE_2__/* .rememberTokenExpiration */ .kW)(octokit);
    const timeoutMs = opts.requestTimeoutMs ?? 30_000;
    const base = opts.baseUrl;
    const source = opts.baseUrlSource ?? 'the configured API URL';
    octokit.hook.before('request', (options) => {
        // The timeout wraps fetch itself so that every attempt, retries included, gets a fresh one:
        // a signal set once on the options would stay aborted and fail every retry at once.
        const request = (options.request ??= {});
        if (!request.fetch?.[GUARDED])
            request.fetch = guardedFetch(request.fetch ?? _http_fetch_js__WEBPACK_IMPORTED_MODULE_3__/* .httpFetch */ .t, timeoutMs, base, source);
    });
    octokit.hook.after('request', (response) => {
        const value = response.headers['github-authentication-token-expiration'];
        if (value)
            remember(String(value));
    });
    // A 429 that plugin-throttling does not take for GitHub's (no x-ratelimit-remaining: 0, no
    // "secondary rate limit"; e.g. a proxy's): its Retry-After is waited, within the same budget.
    // Every rate limit that asks for a longer wait than maxWait fails at once, saying so.
    octokit.hook.wrap('request', async (request, options) => {
        for (let attempt = 0;; attempt++) {
            try {
                return await request(options);
            }
            catch (error) {
                const limit = rateLimitOf(error);
                if (!limit)
                    throw error;
                const { method, url } = options;
                const asked = limit.waitSeconds;
                if (asked !== undefined && asked > maxWait) {
                    ;
                    error.waitTooLong = { askedSeconds: asked, maxSeconds: maxWait };
                    throw error;
                }
                if (limit.throttled || attempt >= retries)
                    throw error;
                const waitMs = asked !== undefined ? asked * 1000 : retryBase * (attempt + 1) ** 2;
                log.warn(`${method} ${url} answered 429: retrying in ${Math.ceil(waitMs / 1000)} s (attempt ${attempt + 2} of ${retries + 1})`);
                await (0,_retry_js__WEBPACK_IMPORTED_MODULE_8__/* .sleep */ .yy)(waitMs);
            }
        }
    });
    // Registered last, so it runs outermost: an off-origin URL or a redirect fails at once,
    // without the retries a server error would get.
    octokit.hook.wrap('request', async (request, options) => {
        const { method, url } = octokit.request.endpoint.parse(options);
        // A caller following a URL from an answer says whose: the error names that request.
        const { pointedBy } = (options.request ?? {});
        (0,_origin_js__WEBPACK_IMPORTED_MODULE_4__/* .assertSameOrigin */ .dp)(url, { base, source, method, pointedBy });
        const response = await request(options);
        if (response.status < 300 || response.status >= 400)
            return response;
        const location = response.headers.location;
        const hops = options.request?.redirectHops ?? 0;
        let next;
        try {
            next = location ? new URL(location, url) : undefined;
        }
        catch {
            next = undefined;
        }
        if (!next ||
            !SAFE_METHODS.has(method.toUpperCase()) ||
            next.origin !== new URL(base).origin ||
            hops >= MAX_REDIRECTS) {
            throw (0,_origin_js__WEBPACK_IMPORTED_MODULE_4__/* .redirectError */ .z5)({ method, url, status: response.status, location, base, source });
        }
        // A new request through every hook (this check included). Only what it needs: the route's
        // parameters are in the Location already, and would otherwise be added as a query.
        return octokit.request({
            method,
            url: next.href,
            headers: options.headers,
            mediaType: options.mediaType,
            request: { ...options.request, redirectHops: hops + 1 },
        });
    });
    return octokit;
}
/**
 * A rate limit in an error: whether plugin-throttling handles it (GitHub's primary limit with
 * x-ratelimit-remaining: 0, or its secondary limit), and the wait it asks for, in seconds.
 */
function rateLimitOf(error) {
    const e = error;
    const headers = e?.response?.headers;
    if (!headers || (e.status !== 429 && e.status !== 403))
        return undefined;
    const secondary = /\bsecondary rate\b/i.test(String(e.message ?? ''));
    const primary = String(headers['x-ratelimit-remaining']) === '0';
    if (e.status === 403 && !secondary && !primary)
        return undefined;
    const after = (0,_transient_js__WEBPACK_IMPORTED_MODULE_5__/* .retryAfterMs */ .Vs)(String(headers['retry-after'] ?? ''), { maxMs: Infinity });
    const reset = Number(headers['x-ratelimit-reset']);
    const waitSeconds = after !== undefined
        ? Math.ceil(after / 1000)
        : primary && reset
            ? Math.max(0, Math.ceil(reset - Date.now() / 1000))
            : undefined;
    return { throttled: secondary || primary, waitSeconds };
}


/***/ })

};
