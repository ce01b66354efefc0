export const id = 883;
export const ids = [883];
export const modules = {

/***/ 8883:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ GitError),
/* harmony export */   createGitRunner: () => (/* binding */ createGitRunner)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



class GitError extends Error {
    args;
    result;
    constructor(args, result) {
        super(`git ${args[0]} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
        this.args = args;
        this.result = result;
        this.name = 'GitError';
    }
}
async function createGitRunner(opts) {
    const root = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdtemp)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(opts.tempDir, 'argocd-deploy-'));
    const dir = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(root, 'repo');
    const configFile = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(root, 'gitconfig');
    const origin = new URL(opts.serverUrl).origin;
    const basic = Buffer.from(`x-access-token:${opts.token}`, 'utf8').toString('base64');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(configFile, [
        `[http "${origin}/"]`,
        `\textraheader = AUTHORIZATION: basic ${basic}`,
        '[user]',
        `\tname = ${opts.authorName.replace(/[\r\n"\\]/g, '')}`,
        `\temail = ${opts.authorEmail.replace(/[\r\n"\\]/g, '')}`,
        '[protocol]',
        '\tversion = 2',
        '[fetch]',
        '\twriteCommitGraph = false',
        '[gc]',
        '\tauto = 0',
        '',
    ].join('\n'), { mode: 0o600 });
    const env = {
        PATH: process.env.PATH,
        HOME: root,
        GIT_CONFIG_GLOBAL: configFile,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
        GIT_ASKPASS: '',
        LC_ALL: 'C',
        ...(process.env.GIT_SSL_CAINFO && { GIT_SSL_CAINFO: process.env.GIT_SSL_CAINFO }),
        ...(process.env.HTTPS_PROXY && { HTTPS_PROXY: process.env.HTTPS_PROXY }),
        ...(process.env.https_proxy && { https_proxy: process.env.https_proxy }),
        ...(process.env.NO_PROXY && { NO_PROXY: process.env.NO_PROXY }),
    };
    const exec = (args, cwd, input) => new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)('git', args, {
            cwd,
            env,
            stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        // git may exit before reading its input (an error): that is its exit code's to tell.
        child.stdin?.on('error', () => { });
        const out = [];
        const err = [];
        child.stdout.on('data', (d) => out.push(d));
        child.stderr.on('data', (d) => err.push(d));
        child.on('error', reject);
        child.on('close', (code) => resolve({
            code: code ?? 1,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(err).toString('utf8'),
        }));
        child.stdin?.end(input);
    });
    const init = await exec(['init', '--quiet', dir], root);
    if (init.code !== 0)
        throw new GitError(['init'], init);
    return {
        dir,
        async run(args, o = {}) {
            const started = Date.now();
            const result = await exec(args, dir, o.input);
            // Arguments never hold the token (it is in the config file); object ids are not secret.
            opts.debug?.(`git ${args.slice(0, 4).join(' ')}: exit ${result.code}, ${Date.now() - started} ms`);
            if (result.code !== 0 && !o.allowFailure)
                throw new GitError(args, result);
            return result;
        },
        async dispose() {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(root, { recursive: true, force: true });
        },
    };
}


/***/ })

};
