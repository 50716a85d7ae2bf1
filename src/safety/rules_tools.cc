// SPDX-License-Identifier: MIT
// Rules for developer and operator tools: git, containers, clusters,
// infrastructure and cloud CLIs, and database clients.
#include <regex>

#include "safety/read_only_profiles.h"
#include "safety/rule_util.h"

namespace cmdai::safety::detail {
namespace {

void Git(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  size_t at = 0;
  const std::string sub = Subcommand(c, {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"}, &at);
  SimpleCommand rest = c;  // the subcommand's own arguments
  rest.args.assign(c.args.begin() + static_cast<long>(std::min(at + 1, c.args.size())), c.args.end());
  auto ops = Operands(rest);
  if (sub == "reset" && HasArg(rest, "--hard")) {
    Add(in, "git.reset-hard", Risk::kHigh, "git reset --hard throws away uncommitted changes");
  } else if (sub == "clean") {
    if (HasFlag(rest, 'n', "--dry-run")) return;
    if (HasFlag(rest, 'f', "--force"))
      Add(in, "git.clean", Risk::kHigh,
          std::string("git clean deletes untracked files") + (HasFlag(rest, 'x') ? ", ignored ones included" : "") +
              (HasFlag(rest, 'd') ? ", and untracked directories" : ""));
  } else if (sub == "push") {
    bool force = HasFlag(rest, 'f', "--force") || HasArg(rest, "--mirror");
    bool lease = false;
    for (const auto& w : rest.args) {
      lease |= w.text.rfind("--force-with-lease", 0) == 0 || w.text == "--force-if-includes";
      force |= !w.text.empty() && w.text[0] == '+' && w.text.size() > 1;
    }
    bool del = HasFlag(rest, 'd', "--delete");
    for (const Word* w : ops) del |= w->text.size() > 1 && w->text[0] == ':';
    if (force)
      Add(in, "git.push-force", Risk::kHigh, "git push --force overwrites the remote history");
    else if (del)
      Add(in, "git.push-delete", Risk::kHigh, "git push deletes a branch or tag on the remote");
    else if (lease)
      Add(in, "git.push-force", Risk::kModerate,
          "git push --force-with-lease rewrites the remote branch if it is unchanged");
    else
      Add(in, "git.push", Risk::kModerate, "git push publishes commits to the remote");
  } else if (sub == "branch") {
    if (HasFlag(rest, 'D') || (HasFlag(rest, 'd', "--delete") && HasFlag(rest, 'f', "--force")))
      Add(in, "git.branch-force-delete", Risk::kHigh, "git branch -D deletes a branch even if it is not merged");
    else if (HasFlag(rest, 'd', "--delete") || HasFlag(rest, 'm') || HasFlag(rest, 'M'))
      Add(in, "git.change", Risk::kModerate, "git branch deletes or renames a branch");
  } else if (sub == "checkout" || sub == "restore" || sub == "switch") {
    bool whole_tree = HasArg(rest, ".") || HasArg(rest, ":/") || HasArg(rest, "*");
    const bool discard =
        HasFlag(rest, 'f', "--force") || HasArg(rest, "--discard-changes") ||
        ((HasArg(rest, "--") || (sub == "restore" && !HasFlag(rest, 'S') && !HasArg(rest, "--staged"))) && whole_tree);
    if (discard)
      Add(in, "git.discard", Risk::kHigh, "git " + sub + " overwrites uncommitted changes in the working tree");
    else if (sub == "restore" || HasArg(rest, "--"))
      Add(in, "git.change", Risk::kModerate, "git " + sub + " replaces the named files with their committed version");
    else
      Add(in, "git.change", Risk::kModerate, "git " + sub + " changes the working tree");
  } else if (sub == "stash") {
    std::string what = ops.empty() ? "" : ops[0]->text;
    if (what == "drop" || what == "clear")
      Add(in, "git.stash-drop", Risk::kHigh, "git stash " + what + " deletes stashed changes");
    else if (what != "list" && what != "show")
      Add(in, "git.change", Risk::kModerate, "git stash changes the working tree");
  } else if (sub == "filter-branch" || sub == "filter-repo" || (sub == "reflog" && HasArg(rest, "expire")) ||
             (sub == "gc" &&
              [&] {
                for (const auto& w : rest.args)
                  if (w.text.rfind("--prune", 0) == 0) return true;
                return false;
              }()) ||
             (sub == "update-ref" && HasFlag(rest, 'd')) || sub == "replace") {
    Add(in, "git.history-rewrite", Risk::kHigh, "git " + sub + " rewrites or discards history");
  } else if (sub == "tag" && (HasFlag(rest, 'd', "--delete") || HasFlag(rest, 'f', "--force"))) {
    Add(in, "git.change", Risk::kModerate, "git tag deletes or moves a tag");
  } else if (Any(sub, {"status",       "log",      "diff",          "show",     "blame",        "grep",
                       "ls-files",     "ls-tree",  "rev-parse",     "describe", "shortlog",     "whatchanged",
                       "help",         "version",  "cat-file",      "rev-list", "fetch",        "remote",
                       "tag",          "branch",   "config",        "reflog",   "ls-remote",    "name-rev",
                       "merge-base",   "show-ref", "count-objects", "fsck",     "check-ignore", "var",
                       "archive",      "bisect",   "worktree",      "notes",    "range-diff",   "difftool",
                       "for-each-ref", ""})) {
    if (sub == "config" && !HasArg(rest, "--get") && !HasArg(rest, "--list") && !HasFlag(rest, 'l') && ops.size() >= 2)
      Add(in, "git.change", Risk::kModerate, "git config changes settings");
    if (sub == "remote" && !ops.empty() && ops[0]->text != "show" && ops[0]->text != "-v")
      Add(in, "git.change", Risk::kModerate, "git remote changes remotes");
    if (sub == "worktree" && !ops.empty() && ops[0]->text == "remove")
      Add(in, "git.change", Risk::kModerate, "git worktree remove deletes a working tree");
  } else {
    Add(in, "git.change", Risk::kModerate, "git " + sub + " changes the repository");
  }
}

void Containers(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  size_t at = 0;
  std::string sub = Subcommand(c,
                               {"-H", "--host", "--context", "-c", "--config", "-l", "--log-level", "-f", "--file",
                                "-p", "--project-name", "--env-file"},
                               &at);
  SimpleCommand rest = c;
  rest.args.assign(c.args.begin() + static_cast<long>(std::min(at + 1, c.args.size())), c.args.end());
  std::string sub2;
  if (Any(sub, {"system", "volume", "image", "container", "network", "builder", "compose", "buildx", "node", "service",
                "stack", "secret", "config", "plugin", "context", "swarm"}))
    sub2 = Subcommand(rest, {"-f", "--file", "-p", "--project-name", "--filter"});
  if (sub2 == "prune" || (sub == "volume" && (sub2 == "rm" || sub2 == "remove")) ||
      (sub == "swarm" && sub2 == "leave")) {
    const bool big = sub == "system" || sub == "volume" || HasFlag(rest, 'a', "--all") || HasArg(rest, "--volumes");
    Add(in, "container.prune", big ? Risk::kHigh : Risk::kModerate,
        c.name + " " + sub + " " + sub2 + " deletes " +
            (sub == "volume" || HasArg(rest, "--volumes") ? "volumes and their data"
                                                          : "unused containers, images or networks"));
    return;
  }
  if (sub == "compose" && (sub2 == "down" || sub2 == "rm")) {
    if (HasFlag(rest, 'v', "--volumes"))
      Add(in, "container.prune", Risk::kHigh, "compose down -v deletes the project's volumes and their data");
    else
      Add(in, "container.change", Risk::kModerate, "compose " + sub2 + " stops and removes the project's containers");
    return;
  }
  if (sub == "run" || sub == "create" || (sub == "container" && (sub2 == "run" || sub2 == "create"))) {
    bool flagged = false;
    for (size_t i = 0; i < rest.args.size(); ++i) {
      const Word& w = rest.args[i];
      std::string a = w.text, value;
      if ((a == "-v" || a == "--volume" || a == "--mount") && i + 1 < rest.args.size())
        value = rest.args[i + 1].text;
      else if (a.rfind("--volume=", 0) == 0 || a.rfind("--mount=", 0) == 0)
        value = a.substr(a.find('=') + 1);
      else if (a.rfind("-v", 0) == 0 && a.size() > 2)
        value = a.substr(2);
      if (!value.empty()) {
        std::string src = value;
        if (auto s = src.find("source="); s != std::string::npos)
          src = src.substr(s + 7, src.find(',', s) - s - 7);
        else if (auto s2 = src.find("src="); s2 != std::string::npos)
          src = src.substr(s2 + 4, src.find(',', s2) - s2 - 4);
        else
          src = src.substr(0, src.find(':'));
        const bool home_var = src == "$HOME" || src == "${HOME}" || src == "~";
        PathClass p = ClassifyPath(home_var ? "~" : src, false, c.cwd);
        if (p.kind == PathKind::kHome || p.kind == PathKind::kSecret)
          Add(in, "container.host-mount", Risk::kHigh, "gives the container " + src + " of the host to change", w.start,
              w.end),
              flagged = true;
        else if (p.kind == PathKind::kRoot || (p.kind == PathKind::kSystemDir && src != "/tmp"))
          Add(in, "container.host-mount", Risk::kCritical, "gives the container " + src + " of the host", w.start,
              w.end),
              flagged = true;
        else if (src.find("docker.sock") != std::string::npos)
          Add(in, "container.host-mount", Risk::kHigh, "gives the container control of the host's Docker", w.start,
              w.end),
              flagged = true;
      }
      if ((a == "--device" || a.rfind("--device=", 0) == 0) && !flagged) {
        Add(in, "container.host-device", Risk::kHigh, "gives the container a device of the host", w.start, w.end);
        flagged = true;
      }
      if (a == "--privileged")
        Add(in, "container.privileged", Risk::kHigh, "runs the container with full access to the host", w.start, w.end),
            flagged = true;
      if (a == "--pid=host" || a == "--net=host" || a == "--network=host" || a == "--ipc=host" ||
          a == "--userns=host" || a == "--uts=host" || a == "--cap-add=ALL" || a == "--cap-add=SYS_ADMIN" ||
          (a == "--cap-add" && i + 1 < rest.args.size() &&
           (rest.args[i + 1].text == "ALL" || rest.args[i + 1].text == "SYS_ADMIN")))
        Add(in, "container.host-namespace", Risk::kHigh, "shares the host's " + a.substr(2) + " with the container",
            w.start, w.end),
            flagged = true;
    }
    if (!flagged) Add(in, "container.run", Risk::kModerate, c.name + " " + sub + " starts a container");
    return;
  }
  if (Any(sub, {"ps", "images", "logs", "inspect", "version", "info", "stats", "top", "events", "history", "port",
                "search", "diff", "login", "--version", "-v"}) ||
      Any(sub2, {"ls", "list", "inspect", "ps", "logs", "config", "df", "version", "info", "top", "images"}))
    return;
  if (Any(sub, {"rm", "rmi", "kill", "stop"}) || sub2 == "rm")
    Add(in, "container.change", Risk::kModerate, c.name + " " + sub + " removes or stops containers or images");
  else
    Add(in, "container.change", Risk::kModerate, c.name + " " + sub + " changes containers");
}

void Cluster(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  std::string sub = Subcommand(c, {"-n", "--namespace", "--context", "--kubeconfig", "-l", "--selector", "-o",
                                   "--output", "-f", "--filename", "--cluster", "--user"});
  if (n == "kubectl" || n == "oc" || n == "k") {
    if (sub == "delete") {
      bool broad = HasArg(c, "--all") || HasFlag(c, 'A') || HasArg(c, "--all-namespaces");
      for (const auto& w : c.args)
        broad |= Any(w.text, {"namespace", "namespaces", "ns", "node", "nodes", "no", "pv", "persistentvolume",
                              "persistentvolumes", "crd", "crds", "customresourcedefinition", "clusterrole",
                              "clusterrolebinding"}) ||
                 w.text.rfind("namespace/", 0) == 0 || w.text.rfind("ns/", 0) == 0 || w.text.rfind("node/", 0) == 0;
      Add(in, broad ? "cluster.delete-broad" : "cluster.delete", broad ? Risk::kCritical : Risk::kHigh,
          broad ? "kubectl delete removes namespaces, nodes or every resource of a kind"
                : "kubectl delete removes cluster resources");
    } else if (sub == "drain" || (sub == "replace" && HasArg(c, "--force")) ||
               (sub == "scale" && HasArg(c, "--replicas=0"))) {
      Add(in, "cluster.disrupt", Risk::kHigh, "kubectl " + sub + " takes workloads down");
    } else if (!Any(sub, {"get", "describe", "logs", "top", "explain", "version", "api-resources", "api-versions",
                          "cluster-info", "auth", "diff", "wait", "events", "config", "completion", ""})) {
      Add(in, "cluster.change", Risk::kModerate, "kubectl " + sub + " changes the cluster");
    }
    return;
  }
  if (n == "helm") {
    if (Any(sub, {"uninstall", "delete", "del", "un"}))
      Add(in, "cluster.delete", Risk::kHigh, "helm uninstall removes a release");
    else if (Any(sub, {"install", "upgrade", "rollback", "repo", "plugin", "push"}))
      Add(in, "cluster.change", Risk::kModerate, "helm " + sub + " changes the cluster");
    return;
  }
  if (n == "terraform" || n == "tofu" || n == "pulumi" || n == "terragrunt") {
    const bool destroy = sub == "destroy" || HasArg(c, "-destroy") || HasArg(c, "--destroy");
    const bool auto_ok =
        HasArg(c, "-auto-approve") || HasArg(c, "--auto-approve") || HasArg(c, "--yes") || HasArg(c, "-y");
    if (destroy)
      Add(in, "infra.destroy", auto_ok ? Risk::kCritical : Risk::kHigh, n + " destroys the managed infrastructure");
    else if ((sub == "apply" || sub == "up" || sub == "import" || sub == "taint" || sub == "state"))
      Add(in, "infra.change", auto_ok ? Risk::kHigh : Risk::kModerate,
          n + " " + sub + " changes real infrastructure" + (auto_ok ? " without asking" : ""));
    return;
  }
  // Cloud CLIs: anything that deletes or terminates.
  if (n == "aws" || n == "gcloud" || n == "az" || n == "gsutil" || n == "doctl" || n == "heroku" || n == "flyctl" ||
      n == "vercel" || n == "s3cmd" || n == "rclone") {
    bool del = false;
    for (const auto& w : c.args) {
      std::string l = Lower(w.text);
      del |= Any(l, {"rm", "rb", "delete", "destroy", "terminate", "remove", "purge", "del", "deletefile", "purge",
                     "delete-bucket", "delete-stack", "delete-db-instance", "terminate-instances", "sync"}) ||
             l.rfind("delete-", 0) == 0 || l.rfind("terminate-", 0) == 0;
    }
    if (del)
      Add(in, "cloud.delete", Risk::kHigh, n + " deletes or overwrites cloud resources");
    else if (!MatchReadOnlyProfile(c).read_only)
      Add(in, "cloud.call", Risk::kModerate, n + " acts on cloud resources");
  }
}

// Database clients: read the SQL or commands they are given.
void Database(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  const bool client = Any(n, {"psql", "mysql", "mariadb", "sqlite3", "sqlcmd", "clickhouse-client", "clickhouse",
                              "mongo", "mongosh", "redis-cli", "cqlsh", "duckdb", "cockroach", "valkey-cli", "influx"});
  if (n == "dropdb" || (n == "mysqladmin" && HasArg(c, "drop"))) {
    Add(in, "db.drop-database", Risk::kHigh, n + " deletes a database");
    return;
  }
  if (!client) return;
  std::string text;
  for (const auto& w : c.args) text += " " + w.text;
  text += " " + c.stdin_text;
  for (const auto& other : in.script.commands)
    if (other.pipeline == c.pipeline && c.pipeline >= 0 && other.pipeline_pos < c.pipeline_pos)
      for (const auto& w : other.args) text += " " + w.text;
  const std::string l = Lower(text);
  // Compiled once: building a std::regex costs far more than matching it.
  static const std::regex kDropDatabase("\\bdrop\\s+(database|schema)\\b|\\bflushall\\b|dropdatabase\\(");
  static const std::regex kDestructive(
      "\\bdrop\\s+(table|index|view|collection|keyspace|user|role)\\b|\\btruncate\\b|\\bflushdb\\b|\\.drop\\(\\)|"
      "deletemany\\(\\s*\\{\\s*\\}\\s*\\)|\\bdelete\\s+from\\s+[\\w.\"`]+\\s*(;|$|'|\")|"
      "\\bupdate\\s+[\\w.\"`]+\\s+set\\b(?![^;]*\\bwhere\\b)|\\balter\\s+table\\b[^;]*\\bdrop\\b");
  static const std::regex kWrite(
      "\\b(delete|update|insert|alter|create|grant|revoke|replace|merge|set|del|hset|expire|rename)\\b");
  static const std::regex kRead(
      "\\b(select|show|describe|explain|with|get|keys|scan|info|ping|find|count)\\b|\\\\d|\\\\l");
  if (std::regex_search(l, kDropDatabase)) {
    Add(in, "db.drop-database", Risk::kCritical, n + " deletes a whole database");
  } else if (std::regex_search(l, kDestructive)) {
    Add(in, "db.destructive", Risk::kHigh,
        n + " deletes or rewrites data (DROP, TRUNCATE, DELETE or UPDATE without WHERE)");
  } else if (std::regex_search(l, kWrite)) {
    Add(in, "db.write", Risk::kModerate, n + " changes data in the database");
  } else if (std::regex_search(l, kRead)) {
    return;  // reads
  } else {
    Add(in, "db.session", Risk::kModerate, n + " opens a database session");
  }
}

}  // namespace

void ToolRules(RuleInput& in) {
  const std::string& n = in.cmd.name;
  if (n == "git") return Git(in);
  if (n == "docker" || n == "podman" || n == "nerdctl" || n == "docker-compose") {
    if (n == "docker-compose") {
      SimpleCommand as = in.cmd;
      Word w;
      w.text = "compose";
      as.args.insert(as.args.begin(), w);
      RuleInput sub{in.script, as, in.index, in.out, in.code};
      return Containers(sub);
    }
    return Containers(in);
  }
  Cluster(in);
  Database(in);
}

}  // namespace cmdai::safety::detail
