export const id = 60;
export const ids = [60];
export const modules = {

/***/ 5060:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   openPullRequest: () => (/* binding */ openPullRequest)
/* harmony export */ });
/* harmony import */ var _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3289);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4175);
/* harmony import */ var _rest_answer_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1251);



/**
 * For protected branches: the release commit is on its own branch; open (or reuse) the pull
 * request into the deploy branch, and merge it when asked.
 */
async function openPullRequest(octokit, i, title, body) {
    const repo = { owner: i.repository.owner, repo: i.repository.repo };
    const head = (0,_names_js__WEBPACK_IMPORTED_MODULE_1__/* .releaseBranch */ .CT)(i);
    const ctx = {
        action: `open a pull request from ${head} into ${i.branch}`,
        permission: 'pull_requests=write',
        classicScope: 'repo',
    };
    const listed = await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, ctx, () => octokit.rest.pulls.list({
        ...repo,
        head: `${repo.owner}:${head}`,
        base: i.branch,
        state: 'open',
        per_page: 1,
    }));
    // Checked before use: a body of another shape is not "no open pull request".
    const open = listed.data;
    if (!Array.isArray(open) || (open.length > 0 && !(0,_rest_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .isPull */ .CD)(open[0])))
        throw (0,_rest_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .unexpectedAnswer */ .au)(`GET /repos/${repo.owner}/${repo.repo}/pulls?head=${repo.owner}:${head}&base=${i.branch}`, open, 'list of pull requests', 'whether this release already has an open pull request cannot be told; none was opened or merged');
    let pr;
    if (open.length)
        pr = open[0];
    else {
        const created = (await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, ctx, () => octokit.rest.pulls.create({ ...repo, head, base: i.branch, title, body }))).data;
        if (!(0,_rest_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .isPull */ .CD)(created))
            throw (0,_rest_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .unexpectedAnswer */ .au)(`POST /repos/${repo.owner}/${repo.repo}/pulls (from ${head} into ${i.branch})`, created, 'pull request (with its number and html_url)', `whether the pull request was opened cannot be told (look for one from ${head}); nothing was merged`);
        pr = created;
    }
    if (!i.autoMerge)
        return { url: pr.html_url, number: pr.number, merged: false };
    const merge = await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, { ...ctx, action: `merge pull request #${pr.number}` }, () => octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'squash' })).catch((error) => {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`pull request ${pr.html_url} was opened but could not be merged: ${error.message}`);
    });
    // GitHub answers 200 only for a merge that happened, with its commit: anything else is no merge.
    const merged = merge.data;
    if (!(0,_rest_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .isObject */ .Gv)(merged) || merged.merged !== true || !OID.test(String(merged.sha)))
        throw (0,_rest_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .unexpectedAnswer */ .au)(`PUT /repos/${repo.owner}/${repo.repo}/pulls/${pr.number}/merge`, merged, "merge result ('merged: true' and the merge commit's sha)", `whether pull request ${pr.html_url} was merged cannot be told (look at it); the release is not reported as deployed`);
    return { url: pr.html_url, number: pr.number, merged: true, mergeSha: merged.sha };
}
const OID = /^[0-9a-f]{40}$/;


/***/ }),

/***/ 1251:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CD: () => (/* binding */ isPull),
/* harmony export */   Gv: () => (/* binding */ isObject),
/* harmony export */   au: () => (/* binding */ unexpectedAnswer)
/* harmony export */ });
/* unused harmony export bodyKind */
/* harmony import */ var _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3289);

/**
 * GitHub's REST answers are read only once their shape is checked: a 2xx body that is not what
 * the request documents (`null`, a proxy's page, an object of another shape) is an error naming
 * the request and what came, never a default ("no pull request", "not merged", "not a file").
 */
/** What kind of body came, in words; never the server's text (a hostile one may echo the token). */
function bodyKind(data) {
    if (data === null)
        return 'a JSON null';
    if (data === undefined || data === '')
        return 'an empty body';
    if (typeof data === 'string')
        return /^\s*</.test(data) ? 'an HTML page (a proxy or load balancer?)' : 'text that is not JSON';
    if (Array.isArray(data))
        return `a JSON list of ${data.length}`;
    if (typeof data === 'object')
        return 'a JSON object of another shape';
    return `a JSON ${typeof data}`;
}
/** The error for a 2xx answer of the wrong shape: the request, what came, what it leaves unknown. */
function unexpectedAnswer(request, data, expected, unknown) {
    return new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`${request} answered with ${bodyKind(data)}, not the ${expected} GitHub documents (an unexpected answer: a proxy or a server fault), so ${unknown}. Run the job again; if it persists, check what stands between the runner and the API.`);
}
const isObject = (data) => typeof data === 'object' && data !== null && !Array.isArray(data);
const isPull = (data) => isObject(data) &&
    Number.isSafeInteger(data.number) &&
    data.number > 0 &&
    typeof data.html_url === 'string' &&
    /^https?:\/\//.test(data.html_url);


/***/ })

};
