export const id = 159;
export const ids = [159];
export const modules = {

/***/ 4159:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openPullRequest: () => (/* binding */ openPullRequest)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 6 modules
var src = __webpack_require__(2027);
// EXTERNAL MODULE: ./actions/sync-argocd-deploy-repo/src/names.ts
var names = __webpack_require__(4175);
;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/pull-ref.ts

const isPull = (data) => (0,src/* isObject */.Gv)(data) &&
    Number.isSafeInteger(data.number) &&
    data.number > 0 &&
    typeof data.html_url === 'string' &&
    /^https?:\/\//.test(data.html_url);

;// CONCATENATED MODULE: ./actions/sync-argocd-deploy-repo/src/pull-request.ts



/**
 * For protected branches: the release commit is on its own branch; open (or reuse) the pull
 * request into the deploy branch, and merge it when asked.
 */
async function openPullRequest(octokit, i, title, body) {
    const repo = { owner: i.repository.owner, repo: i.repository.repo };
    const head = (0,names/* releaseBranch */.CT)(i);
    const ctx = {
        action: `open a pull request from ${head} into ${i.branch}`,
        permission: 'pull_requests=write',
        classicScope: 'repo',
    };
    const listed = await (0,src/* explained */.to)(octokit, ctx, () => octokit.rest.pulls.list({
        ...repo,
        head: `${repo.owner}:${head}`,
        base: i.branch,
        state: 'open',
        per_page: 1,
    }));
    // Checked before use: a body of another shape is not "no open pull request".
    const open = listed.data;
    if (!Array.isArray(open) || (open.length > 0 && !isPull(open[0])))
        throw (0,src/* unexpectedAnswer */.au)(`GET /repos/${repo.owner}/${repo.repo}/pulls?head=${repo.owner}:${head}&base=${i.branch}`, open, 'list of pull requests', 'whether this release already has an open pull request cannot be told; none was opened or merged');
    let pr;
    if (open.length)
        pr = open[0];
    else {
        const created = (await (0,src/* explained */.to)(octokit, ctx, () => octokit.rest.pulls.create({ ...repo, head, base: i.branch, title, body }))).data;
        if (!isPull(created))
            throw (0,src/* unexpectedAnswer */.au)(`POST /repos/${repo.owner}/${repo.repo}/pulls (from ${head} into ${i.branch})`, created, 'pull request (with its number and html_url)', `whether the pull request was opened cannot be told (look for one from ${head}); nothing was merged`);
        pr = created;
    }
    if (!i.autoMerge)
        return { url: pr.html_url, number: pr.number, merged: false };
    const merge = await (0,src/* explained */.to)(octokit, { ...ctx, action: `merge pull request #${pr.number}` }, () => octokit.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'squash' })).catch((error) => {
        throw new src/* UserError */.yo(`pull request ${pr.html_url} was opened but could not be merged: ${error.message}`);
    });
    // GitHub answers 200 only for a merge that happened, with its commit: anything else is no merge.
    const merged = merge.data;
    if (!(0,src/* isObject */.Gv)(merged) || merged.merged !== true || !OID.test(String(merged.sha)))
        throw (0,src/* unexpectedAnswer */.au)(`PUT /repos/${repo.owner}/${repo.repo}/pulls/${pr.number}/merge`, merged, "merge result ('merged: true' and the merge commit's sha)", `whether pull request ${pr.html_url} was merged cannot be told (look at it); the release is not reported as deployed`);
    return { url: pr.html_url, number: pr.number, merged: true, mergeSha: merged.sha };
}
const OID = /^[0-9a-f]{40}$/;


/***/ })

};
