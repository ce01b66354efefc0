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
    const existing = await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, ctx, () => octokit.rest.pulls.list({
        ...repo,
        head: `${repo.owner}:${head}`,
        base: i.branch,
        state: 'open',
        per_page: 1,
    }));
    const pr = existing.data[0] ??
        (await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, ctx, () => octokit.rest.pulls.create({ ...repo, head, base: i.branch, title, body }))).data;
    if (!i.autoMerge)
        return { url: pr.html_url, number: pr.number, merged: false };
    const merge = await (0,_argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .explained */ .to)(octokit, { ...ctx, action: `merge pull request #${pr.number}` }, () => octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'squash' })).catch((error) => {
        throw new _argocd_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(`pull request ${pr.html_url} was opened but could not be merged: ${error.message}`);
    });
    return {
        url: pr.html_url,
        number: pr.number,
        merged: merge.data.merged,
        mergeSha: merge.data.sha,
    };
}


/***/ })

};
