export const id = 662;
export const ids = [662];
export const modules = {

/***/ 662:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6257);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6856);
/* harmony import */ var _github_session_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4051);
/* harmony import */ var _transient_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5943);






const TIMED = Symbol('argocd-actions.timed-fetch');
function withTimeout(inner, timeoutMs) {
    const timed = (input, init) => {
        const timeout = AbortSignal.timeout(timeoutMs);
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
        return inner(input, { ...init, signal });
    };
    timed[TIMED] = true;
    return timed;
}
/**
 * Kept out of the core index and loaded with import() once inputs are valid: @actions/github
 * and the plugins are most of a bundle's start-up time, which a failed input should not pay.
 *
 * An Octokit with GitHub's official retry and throttling plugins, a per-request timeout and
 * a memory of the token's expiry header, so a later 401 can be told apart as "expired".
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
        log: { debug: log.debug, info: log.debug, warn: log.warn, error: log.warn },
        // The shared convention (transient.ts): plugin-retry's own list retried 409, 405, 412, ...
        retry: {
            retries,
            retryAfterBaseValue: retryBase,
            doNotRetry: [..._transient_js__WEBPACK_IMPORTED_MODULE_3__/* .PERMANENT_CLIENT_STATUSES */ .CC],
        },
        throttle: {
            onRateLimit: onLimit('rate limit'),
            onSecondaryRateLimit: onLimit('secondary rate limit'),
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_5__/* .throttling */ .A);
    const remember = (0,_github_session_js__WEBPACK_IMPORTED_MODULE_2__/* .rememberTokenExpiration */ .kW)(octokit);
    const timeoutMs = opts.requestTimeoutMs ?? 30_000;
    octokit.hook.before('request', (options) => {
        // The timeout wraps fetch itself so that every attempt, retries included, gets a fresh one:
        // a signal set once on the options would stay aborted and fail every retry at once.
        const request = (options.request ??= {});
        if (!request.fetch?.[TIMED])
            request.fetch = withTimeout(request.fetch ?? globalThis.fetch, timeoutMs);
    });
    octokit.hook.after('request', (response) => {
        const value = response.headers['github-authentication-token-expiration'];
        if (value)
            remember(String(value));
    });
    return octokit;
}


/***/ })

};
