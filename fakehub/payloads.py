"""The JSON bodies GitHub's REST API returns, built from the model with GitHub's field names."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fakehub.dataset import Dataset, Label
from fakehub.ids import database_id, fake_sha
from portfolio.model import ChangedFile, Issue, Profile, PullRequest, Repo, Review

WEB = "https://github.com"
AVATARS = "https://avatars.githubusercontent.com"
DOCS = "https://docs.github.com/rest"
LICENSE_MIT = {
    "key": "mit",
    "name": "MIT License",
    "spdx_id": "MIT",
    "url": None,
    "node_id": "MDc6TGljZW5zZTEz",
}
_REACTIONS = ("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")


def iso(moment: datetime | None) -> str | None:
    """GitHub's timestamp format, ``2021-03-04T05:06:07Z``."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON, as GitHub sends it."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class Payloads:
    """Renders dataset objects as REST bodies whose ``url`` fields point at one fake server."""

    def __init__(self, dataset: Dataset, api: str) -> None:
        self.dataset = dataset
        self.api = api.rstrip("/")
        self._users: dict[str, dict[str, Any]] = {}
        self._repos: dict[str, dict[str, Any]] = {}
        self._bytes: dict[tuple[str, str], bytes] = {}

    def cached(self, kind: str, key: str, build: Any) -> bytes:
        """The serialised body for ``(kind, key)``, built once per server."""
        found = self._bytes.get((kind, key))
        if found is None:
            found = self._bytes[(kind, key)] = dumps(build())
        return found

    def user(self, login: str) -> dict[str, Any]:
        """The short user object GitHub nests in other bodies (``user``, ``owner``, ``merged_by``)."""
        found = self._users.get(login.lower())
        if found is not None:
            return found
        profile = self.dataset.profile(login)
        login = profile.login if profile else login
        user_id = (
            database_id(profile.node_id) if profile and profile.node_id else database_id(f"user:{login}")
        )
        api_user = f"{self.api}/users/{quote(login)}"
        found = {
            "login": login,
            "id": user_id,
            "node_id": profile.node_id if profile and profile.node_id else f"U_{user_id}",
            "avatar_url": profile.avatar_url
            if profile and profile.avatar_url
            else f"{AVATARS}/u/{user_id}?v=4",
            "gravatar_id": "",
            "url": api_user,
            "html_url": profile.html_url if profile and profile.html_url else f"{WEB}/{login}",
            "followers_url": f"{api_user}/followers",
            "following_url": f"{api_user}/following{{/other_user}}",
            "gists_url": f"{api_user}/gists{{/gist_id}}",
            "starred_url": f"{api_user}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api_user}/subscriptions",
            "organizations_url": f"{api_user}/orgs",
            "repos_url": f"{api_user}/repos",
            "events_url": f"{api_user}/events{{/privacy}}",
            "received_events_url": f"{api_user}/received_events",
            "type": (profile.type if profile else None) or "User",
            "user_view_type": "public",
            "site_admin": False,
        }
        self._users[login.lower()] = found
        return found

    def full_user(self, profile: Profile) -> dict[str, Any]:
        """``GET /users/{login}``: the short object plus the public profile."""
        created = iso(profile.created_at)
        return {
            **self.user(profile.login),
            "name": profile.name,
            "company": profile.company,
            "blog": profile.blog or "",
            "location": profile.location,
            "email": None,
            "hireable": None,
            "bio": profile.bio,
            "twitter_username": None,
            "public_repos": profile.public_repos or 0,
            "public_gists": 0,
            "followers": profile.followers or 0,
            "following": 0,
            "created_at": created,
            "updated_at": created,
        }

    def _repo_core(self, repo: Repo) -> dict[str, Any]:
        """The fields every repository object has, nested or not."""
        api_repo = f"{self.api}/repos/{repo.full_name}"
        html = repo.html_url or f"{WEB}/{repo.full_name}"
        repo_id = database_id(repo.node_id) if repo.node_id else database_id(f"repo:{repo.full_name}")
        stars = repo.stars or 0
        seed = int(fake_sha(repo.full_name)[:8], 16)
        created = datetime(2012 + seed % 9, 1 + seed % 12, 1 + seed % 28, seed % 24, seed % 60, tzinfo=UTC)
        name = repo.full_name.split("/", 1)[1]
        return {
            "id": repo_id,
            "node_id": repo.node_id or f"R_{repo_id}",
            "name": name,
            "full_name": repo.full_name,
            "private": False,
            "owner": self.user(repo.owner_login),
            "html_url": html,
            "description": repo.description,
            "fork": bool(repo.is_fork),
            "url": api_repo,
            "forks_url": f"{api_repo}/forks",
            "keys_url": f"{api_repo}/keys{{/key_id}}",
            "collaborators_url": f"{api_repo}/collaborators{{/collaborator}}",
            "teams_url": f"{api_repo}/teams",
            "hooks_url": f"{api_repo}/hooks",
            "issue_events_url": f"{api_repo}/issues/events{{/number}}",
            "events_url": f"{api_repo}/events",
            "assignees_url": f"{api_repo}/assignees{{/user}}",
            "branches_url": f"{api_repo}/branches{{/branch}}",
            "tags_url": f"{api_repo}/tags",
            "blobs_url": f"{api_repo}/git/blobs{{/sha}}",
            "git_tags_url": f"{api_repo}/git/tags{{/sha}}",
            "git_refs_url": f"{api_repo}/git/refs{{/sha}}",
            "trees_url": f"{api_repo}/git/trees{{/sha}}",
            "statuses_url": f"{api_repo}/statuses/{{sha}}",
            "languages_url": f"{api_repo}/languages",
            "stargazers_url": f"{api_repo}/stargazers",
            "contributors_url": f"{api_repo}/contributors",
            "subscribers_url": f"{api_repo}/subscribers",
            "subscription_url": f"{api_repo}/subscription",
            "commits_url": f"{api_repo}/commits{{/sha}}",
            "git_commits_url": f"{api_repo}/git/commits{{/sha}}",
            "comments_url": f"{api_repo}/comments{{/number}}",
            "issue_comment_url": f"{api_repo}/issues/comments{{/number}}",
            "contents_url": f"{api_repo}/contents/{{+path}}",
            "compare_url": f"{api_repo}/compare/{{base}}...{{head}}",
            "merges_url": f"{api_repo}/merges",
            "archive_url": f"{api_repo}/{{archive_format}}{{/ref}}",
            "downloads_url": f"{api_repo}/downloads",
            "issues_url": f"{api_repo}/issues{{/number}}",
            "pulls_url": f"{api_repo}/pulls{{/number}}",
            "milestones_url": f"{api_repo}/milestones{{/number}}",
            "notifications_url": f"{api_repo}/notifications{{?since,all,participating}}",
            "labels_url": f"{api_repo}/labels{{/name}}",
            "releases_url": f"{api_repo}/releases{{/id}}",
            "deployments_url": f"{api_repo}/deployments",
            "created_at": iso(created),
            "updated_at": "2025-12-30T12:00:00Z",
            "pushed_at": "2025-12-30T12:00:00Z",
            "git_url": f"git://github.com/{repo.full_name}.git",
            "ssh_url": f"git@github.com:{repo.full_name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "homepage": None,
            "size": 100 + seed % 50_000,
            "stargazers_count": stars,
            "watchers_count": stars,
            "language": repo.language,
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": True,
            "has_pages": False,
            "has_discussions": stars > 1000,
            "forks_count": repo.forks or 0,
            "mirror_url": None,
            "archived": bool(repo.archived),
            "disabled": False,
            "open_issues_count": seed % 200,
            "license": {**LICENSE_MIT, "url": f"{self.api}/licenses/mit"},
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": list(repo.topics or ()),
            "visibility": "public",
            "forks": repo.forks or 0,
            "open_issues": seed % 200,
            "watchers": stars,
            "default_branch": "main",
        }

    def repo(self, repo: Repo) -> dict[str, Any]:
        """The repository object GitHub nests in pull requests (``head.repo``, ``base.repo``)."""
        found = self._repos.get(repo.full_name.lower())
        if found is None:
            found = self._repos[repo.full_name.lower()] = self._repo_core(repo)
        return found

    def full_repo(self, repo: Repo) -> dict[str, Any]:
        """``GET /repos/{owner}/{repo}``: the nested object plus settings, network and parent."""
        body = {
            **self.repo(repo),
            "temp_clone_token": None,
            "allow_squash_merge": True,
            "allow_merge_commit": True,
            "allow_rebase_merge": True,
            "allow_auto_merge": False,
            "delete_branch_on_merge": False,
            "allow_update_branch": False,
            "use_squash_pr_title_as_default": False,
            "squash_merge_commit_message": "COMMIT_MESSAGES",
            "squash_merge_commit_title": "COMMIT_OR_PR_TITLE",
            "merge_commit_message": "PR_TITLE",
            "merge_commit_title": "MERGE_MESSAGE",
            "custom_properties": {},
            "network_count": repo.forks or 0,
            "subscribers_count": (repo.stars or 0) // 20,
        }
        if repo.owner_type == "Organization":
            body["organization"] = self.user(repo.owner_login)
        parent_name = self.dataset.fork_parents.get(repo.full_name)
        parent = self.dataset.repo(parent_name) if parent_name else None
        if parent is not None:
            body["parent"] = self.repo(parent)
            body["source"] = self.repo(parent)
            body["network_count"] = parent.forks or 0
        return body

    def _fork_of(self, repo: Repo, login: str) -> Repo:
        """The contributor's fork a pull request's head branch lives in (the dataset's own, if it has one)."""
        name = repo.full_name.split("/", 1)[1]
        known = self.dataset.repo(f"{login}/{name}")
        if known is not None:
            return known
        return Repo(
            full_name=f"{login}/{name}",
            owner_login=login,
            owner_type="User",
            stars=0,
            forks=0,
            language=repo.language,
            topics=(),
            is_fork=True,
            archived=False,
            description=repo.description,
            html_url=f"{WEB}/{login}/{name}",
            node_id=None,
        )

    def label(self, full_name: str, name: str) -> dict[str, Any]:
        """One label as GitHub shows it in issues and pull requests."""
        info = self.dataset.labels.get(name, Label())
        label_id = database_id(f"label:{full_name}:{name}")
        return {
            "id": label_id,
            "node_id": f"LA_{label_id}",
            "url": f"{self.api}/repos/{full_name}/labels/{quote(name)}",
            "name": name,
            "color": info.color,
            "default": info.default,
            "description": info.description,
        }

    def _item_common(self, item: PullRequest | Issue, api_issue: str) -> dict[str, Any]:
        """The fields issues and pull requests share in the issue object."""
        return {
            "url": api_issue,
            "repository_url": f"{self.api}/repos/{item.repo}",
            "labels_url": f"{api_issue}/labels{{/name}}",
            "comments_url": f"{api_issue}/comments",
            "events_url": f"{api_issue}/events",
            "html_url": item.url,
            "id": database_id(item.node_id),
            "node_id": item.node_id,
            "number": item.number,
            "title": item.title,
            "user": self.user(item.author),
            "labels": [self.label(item.repo, name) for name in item.labels],
            "state": "open" if item.state == "open" else "closed",
            "locked": False,
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "comments": item.comments or 0,
            "created_at": iso(item.created_at),
            "updated_at": iso(item.updated_at or item.closed_at or item.created_at),
            "closed_at": iso(item.closed_at),
            "author_association": item.author_association or "NONE",
            "type": None,
            "active_lock_reason": None,
        }

    def issue(self, item: PullRequest | Issue) -> dict[str, Any]:
        """The issue object: a search hit or ``GET /repos/{o}/{r}/issues/{n}``; PRs carry ``pull_request``."""
        api_issue = f"{self.api}/repos/{item.repo}/issues/{item.number}"
        body = self._item_common(item, api_issue)
        if isinstance(item, PullRequest):
            body["draft"] = bool(item.draft)
            body["pull_request"] = {
                "url": f"{self.api}/repos/{item.repo}/pulls/{item.number}",
                "html_url": item.url,
                "diff_url": f"{item.url}.diff",
                "patch_url": f"{item.url}.patch",
                "merged_at": iso(item.merged_at),
            }
            body["state_reason"] = None
        else:
            body["state_reason"] = item.state_reason
        body["body"] = self.dataset.bodies.get(item.node_id)
        body["reactions"] = {
            "url": f"{api_issue}/reactions",
            "total_count": 0,
            **dict.fromkeys(_REACTIONS, 0),
        }
        body["timeline_url"] = f"{api_issue}/timeline"
        body["performed_via_github_app"] = None
        return body

    def search_hit(self, item: PullRequest | Issue) -> bytes:
        """One serialised search result, with the ``score`` every hit carries."""
        return self.cached("hit", item.node_id, lambda: {**self.issue(item), "score": 1.0})

    def issue_detail(self, item: PullRequest | Issue) -> bytes:
        """``GET /repos/{o}/{r}/issues/{n}``: the issue object plus who closed it."""

        def build() -> dict[str, Any]:
            """The issue object plus ``closed_by``."""
            body = self.issue(item)
            closer = None
            if item.state != "open":
                closer = self.dataset.index.closer.get(item.node_id)
                if isinstance(item, PullRequest):
                    closer = item.merged_by or item.author
                closer = closer or item.author
            body["closed_by"] = self.user(closer) if closer else None
            return body

        return self.cached("issue", item.node_id, build)

    def _branch(self, pr: PullRequest, repo: Repo, ref: str, sha: str) -> dict[str, Any]:
        """A ``head`` or ``base`` object: ref, sha, owner and repository."""
        owner = repo.owner_login
        return {
            "label": f"{owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(owner),
            "repo": self.repo(repo),
        }

    def pull(self, pr: PullRequest) -> bytes:
        """``GET /repos/{o}/{r}/pulls/{n}``: the full pull request."""
        return self.cached("pull", pr.node_id, lambda: self._pull(pr))

    def _pull(self, pr: PullRequest) -> dict[str, Any]:
        """The full pull request object."""
        api_repo = f"{self.api}/repos/{pr.repo}"
        api_pull = f"{api_repo}/pulls/{pr.number}"
        api_issue = f"{api_repo}/issues/{pr.number}"
        head_sha = fake_sha(pr.node_id, "head")
        base_repo = self.dataset.repo(pr.repo) or Repo(full_name=pr.repo, owner_login=pr.repo.split("/")[0])
        inside = pr.author_association in ("OWNER", "MEMBER", "COLLABORATOR")
        head_repo = base_repo if inside else self._fork_of(base_repo, pr.author)
        merged = pr.state == "merged"
        files = pr.files or ()
        seed = database_id(pr.node_id)
        return {
            "url": api_pull,
            "id": database_id(pr.node_id),
            "node_id": pr.node_id,
            "html_url": pr.url,
            "diff_url": f"{pr.url}.diff",
            "patch_url": f"{pr.url}.patch",
            "issue_url": api_issue,
            "number": pr.number,
            "state": "open" if pr.state == "open" else "closed",
            "locked": False,
            "title": pr.title,
            "user": self.user(pr.author),
            "body": self.dataset.bodies.get(pr.node_id),
            "created_at": iso(pr.created_at),
            "updated_at": iso(pr.updated_at or pr.closed_at or pr.created_at),
            "closed_at": iso(pr.closed_at),
            "merged_at": iso(pr.merged_at),
            "merge_commit_sha": fake_sha(pr.node_id, "merge"),
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "labels": [self.label(pr.repo, name) for name in pr.labels],
            "milestone": None,
            "draft": bool(pr.draft),
            "commits_url": f"{api_pull}/commits",
            "review_comments_url": f"{api_pull}/comments",
            "review_comment_url": f"{api_repo}/pulls/comments{{/number}}",
            "comments_url": f"{api_issue}/comments",
            "statuses_url": f"{api_repo}/statuses/{head_sha}",
            "head": self._branch(pr, head_repo, f"contrib/{pr.number}", head_sha),
            "base": self._branch(pr, base_repo, "main", fake_sha(pr.node_id, "base")),
            "_links": {
                "self": {"href": api_pull},
                "html": {"href": pr.url},
                "issue": {"href": api_issue},
                "comments": {"href": f"{api_issue}/comments"},
                "review_comments": {"href": f"{api_pull}/comments"},
                "review_comment": {"href": f"{api_repo}/pulls/comments{{/number}}"},
                "commits": {"href": f"{api_pull}/commits"},
                "statuses": {"href": f"{api_repo}/statuses/{head_sha}"},
            },
            "author_association": pr.author_association or "NONE",
            "auto_merge": None,
            "active_lock_reason": None,
            "merged": merged,
            "mergeable": None if pr.state != "open" else True,
            "rebaseable": None if pr.state != "open" else True,
            "mergeable_state": "clean" if pr.state == "open" else "unknown",
            "merged_by": self.user(pr.merged_by) if merged and pr.merged_by else None,
            "comments": pr.comments or 0,
            "review_comments": sum(r.comments or 0 for r in self.dataset.reviews_of(pr)),
            "maintainer_can_modify": not inside and pr.state == "open",
            "commits": 1 + seed % 7,
            "additions": pr.additions if pr.additions is not None else sum(f.additions or 0 for f in files),
            "deletions": pr.deletions if pr.deletions is not None else sum(f.deletions or 0 for f in files),
            "changed_files": pr.changed_files if pr.changed_files is not None else len(files),
        }

    def file(self, pr: PullRequest, changed: ChangedFile) -> bytes:
        """One entry of ``GET /repos/{o}/{r}/pulls/{n}/files``."""
        return self.cached("file", f"{pr.node_id}:{changed.path}", lambda: self._file(pr, changed))

    def _file(self, pr: PullRequest, changed: ChangedFile) -> dict[str, Any]:
        """One changed file with a short stand-in patch."""
        head_sha = fake_sha(pr.node_id, "head")
        path = quote(changed.path)
        additions, deletions = changed.additions or 0, changed.deletions or 0
        body: dict[str, Any] = {
            "sha": fake_sha(pr.node_id, changed.path),
            "filename": changed.path,
            "status": changed.status or "modified",
            "additions": additions,
            "deletions": deletions,
            "changes": additions + deletions,
            "blob_url": f"{WEB}/{pr.repo}/blob/{head_sha}/{path}",
            "raw_url": f"{WEB}/{pr.repo}/raw/{head_sha}/{path}",
            "contents_url": f"{self.api}/repos/{pr.repo}/contents/{path}?ref={head_sha}",
        }
        if changed.status == "renamed":
            folder, _, name = changed.path.rpartition("/")
            body["previous_filename"] = f"{folder}/old_{name}" if folder else f"old_{name}"
        # GitHub leaves the patch out of very large diffs; a short hunk stands in for the rest.
        if additions + deletions <= 400:
            shown_del, shown_add = min(deletions, 6), min(additions, 6)
            lines = [f"@@ -1,{shown_del} +1,{shown_add} @@"]
            lines += [f"-old line {n}" for n in range(1, shown_del + 1)]
            lines += [f"+new line {n}" for n in range(1, shown_add + 1)]
            body["patch"] = "\n".join(lines)
        return body

    def review(self, review: Review, pr: PullRequest) -> bytes:
        """One entry of ``GET /repos/{o}/{r}/pulls/{n}/reviews``."""
        return self.cached("review", review.node_id, lambda: self._review(review, pr))

    def _review(self, review: Review, pr: PullRequest) -> dict[str, Any]:
        """One review object."""
        review_id = database_id(review.node_id)
        html = f"{pr.url}#pullrequestreview-{review_id}"
        api_pull = f"{self.api}/repos/{pr.repo}/pulls/{pr.number}"
        return {
            "id": review_id,
            "node_id": review.node_id,
            "user": self.user(review.author),
            "body": self.dataset.bodies.get(review.node_id, ""),
            "state": review.state or "COMMENTED",
            "html_url": html,
            "pull_request_url": api_pull,
            "author_association": self._review_association(review, pr),
            "_links": {"html": {"href": html}, "pull_request": {"href": api_pull}},
            "submitted_at": iso(review.submitted_at),
            "commit_id": fake_sha(pr.node_id, "head"),
        }

    def _review_association(self, review: Review, pr: PullRequest) -> str:
        """The reviewer's author_association: the dataset's, else OWNER or CONTRIBUTOR."""
        known = self.dataset.review_associations.get(review.node_id)
        if known:
            return known
        return "OWNER" if review.author.lower() == pr.repo.split("/", 1)[0].lower() else "CONTRIBUTOR"


def error_body(
    message: str, status: int, docs: str = DOCS, errors: list[dict[str, str]] | None = None
) -> dict:
    """GitHub's error shape: message, optional errors, documentation_url and the status as a string."""
    body: dict[str, Any] = {"message": message}
    if errors:
        body["errors"] = errors
    body["documentation_url"] = docs
    body["status"] = str(status)
    return body
