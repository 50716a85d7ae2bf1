// SPDX-License-Identifier: MIT
// The read-only profiles (the table below) and the few checks that need more
// than a table: awk programs, sed scripts, find expressions, git, tar, dates,
// `ip`, and inline interpreter code.
#include "safety/read_only_profiles.h"

#include "common/split.h"
#include "safety/rule_util.h"
#include "safety/runners.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace cmdai::safety {
namespace {

// Extra reading a profile needs beyond its option lists.
enum class Check {
  kNone,
  kAwk,          // the program has no system(), pipes or output redirections
  kSed,          // no -i, and the script has no e/w/W commands or s///e, s///w
  kFind,         // no -delete or -fprint*; -exec commands are rated on their own
  kGit,          // read subcommands, no executing -c keys, no --output
  kDate,         // operands are +FORMAT only (else it sets the clock)
  kIp,           // `ip OBJECT [show|list|get]`
  kTar,          // listing mode only
  kRpm,          // query mode only
  kPacman,       // -Q, -Ss/-Si without -y/-u, -F without -y
  kSysctl,       // reading keys only
  kInterpreter,  // --version, or -c/-e code that only computes
  kPager,        // less/more: +commands only move around
  kAlias,        // listing aliases, not defining them
  kTrap,         // listing traps, not setting them
  kWget,         // output to stdout only
  kCurl,         // nothing read from a local file into the request; -w without %output; fetch-only schemes
  kTmux,         // no #(…) formats, which run a shell command
};

// One row of the table. Lists are space-separated; `paths` is |-separated.
struct Profile {
  std::string_view names;   // the command names that share this row
  std::string_view writes;  // options that write, delete or run something (fnmatch patterns allowed)
  std::string_view values;  // options whose value is the next word
  // Read-only subcommand paths over the positional words: `*` matches one
  // word (fnmatch), `**` any words that are not mutating verbs, a trailing
  // `...` any further words; otherwise the path must end there. Empty: the
  // command has no subcommands.
  std::string_view paths = "";
  int max_operands = -1;  // more operands than this write (uniq IN OUT)
  Check check = Check::kNone;
  std::string_view needs = "";    // one of these options must be present (crontab -l)
  std::string_view only = "";     // every option must be one of these (whole words)
  bool single_dash_long = false;  // -name is one option, not a cluster (openssl, terraform)
};

// The table. A reviewer reads it as: "these commands only read, unless they
// use one of the `writes` options, a subcommand outside `paths`, …".
const Profile kProfiles[] = {
    // Files and text: read and print.
    {"ls dir vdir exa eza lsd", "", ""},
    {"tree", "-o", "-L -P -I --charset --filelimit --timefmt -o"},
    {"cat tac nl head tail more most pg rev fold fmt column expand unexpand pr look", "", "-n -c --lines --bytes -w"},
    {"less", "-o -O --log-file --LOG-FILE -k --lesskey-file --lesskey-src --lesskey-content --lesskey-*",
     "-o -O -b -h -j -k -p -P -t -T -x -y -z", "", -1, Check::kPager},
    {"bat batcat", "--pager", "-l --language -H --highlight-line --style --theme -r --line-range --map-syntax"},
    {"grep egrep fgrep zgrep zegrep zfgrep", "", "-e -f -m -A -B -C --regexp --file --max-count --include --exclude"},
    {"rg ripgrep", "--pre", "-e -f -g -t -T -m -A -B -C -M --glob --type --type-not --max-count --regexp --file"},
    {"ag ack", "--pager --output", "-G -g --ignore --file-search-regex"},
    {"wc cut paste join comm tr seq yes expr bc factor numfmt", "", "-d -f -c -b -s -t -j -1 -2 -o"},
    {"sort", "-o --output --compress-program", "-k -t -T -S --key --field-separator --buffer-size"},
    {"uniq", "", "-f -s -w --skip-fields --skip-chars --check-chars", "", 1},
    {"shuf", "-o --output", "-n -i --head-count --input-range --random-source"},
    {"diff cmp colordiff", "", "-U -C -L -I -x -X --label --exclude --ignore-matching-lines"},
    {"sdiff", "-o --output", "-w -I"},
    {"md5sum sha1sum sha224sum sha256sum sha384sum sha512sum b2sum cksum sum shasum md5 sha1 sha256 sha512", "",
     "-a --algorithm"},
    {"base64 gbase64", "-o --output", "-i --input -b --break -w --wrap"},
    {"base32 basenc", "", "-w --wrap"},
    {"xxd", "", "-c -g -l -s -o -n", "", 1},
    {"od hexdump hd strings", "", "-n -s -t -N -j -A -e -f"},
    {"basename dirname realpath readlink pwd echo printf true false test [ : sleep", "", ""},
    {"stat file", "-C --compile", "-c -f --format --printf -m"},
    {"which whereis type hash locate mlocate plocate apropos whatis help tldr", "-u --update", ""},
    // info -o writes the node to a file; --dribble records keystrokes to one.
    {"info", "-o --output --out --dribble", "-f --file -n --node -d --directory --restore"},
    // man -C/-M/-p: another configuration (DEFINE pager …), page tree or preprocessors.
    {"man", "-P --pager -H --html -X --gxditview -C --config-file -M --manpath -p --preprocessor -m --systems",
     "-S -s -L -e --sections --locale --extension"},
    {"iconv", "-o --output", "-f -t --from-code --to-code"},
    {"jq gojq jless xq", "", "--arg --argjson --slurpfile --rawfile --indent -L"},
    // yq -s/--split-exp writes one file per document.
    {"yq", "-i --inplace -s --split-exp", "-o --output-format -p --input-format --arg"},
    {"mlr", "-I", ""},
    {"xsv", "-o --output", "-d --delimiter"},
    {"find gfind", "", "", "", -1, Check::kFind},
    {"fd fdfind", "-x --exec -X --exec-batch", "-e -E -t -d --extension --exclude --type --max-depth"},
    {"awk gawk mawk nawk",
     "-f --file -i --include -l --load -E --exec -p --profile -o --pretty-print -d --dump-variables",
     "-F -v --field-separator --assign", "", -1, Check::kAwk},
    {"sed gsed", "-i --in-place -I -f --file", "-l --line-length", "", -1, Check::kSed},
    {"zcat bzcat xzcat zstdcat lz4cat zless zmore zdiff zcmp bzless xzless zipinfo", "", ""},
    {"gzip gunzip bzip2 bunzip2 xz unxz zstd unzstd lz4 brotli", "-o", "-S --suffix -o", "", -1, Check::kNone,
     "-c --stdout --to-stdout -l --list -t --test"},
    {"unzip", "", "-d -x -P", "", -1, Check::kNone, "-l -v -t -Z -z -p -c"},
    {"tar gtar bsdtar", "", "", "", -1, Check::kTar},
    {"7z 7za 7zz", "", "", "l ...|t ...|i"},
    // The system: processes, users, hardware, time.
    {"ps pstree pgrep pidof top htop btop iotop iftop nethogs nload vmstat iostat mpstat free uptime w who users last "
     "lastb lastlog finger logname id groups whoami tty uname nproc getconf hostid lscpu lsmem lsns lslocks lsipc "
     "lsirq lspci lsusb lshw lsblk blkid findmnt lsof lsattr getfacl getcap namei df du printenv locale sensors acpi "
     "sw_vers system_profiler getenforce sestatus aa-status apparmor_status ausearch aureport dmidecode upower "
     "clear reset tput",
     "--dump-bin", "-p -u -U -G -g -o -O -t -n -d -s -C -q --pid --user --sort --format"},
    {"arch", "", "", "", 0},  // macOS arch runs its operand as a command
    {"nvidia-smi",
     "-r --gpu-reset -pm --persistence-mode -e --ecc-config -c --compute-mode -pl --power-limit -ac "
     "--applications-clocks -rac -lgc -rgc -lmc -rmc -mig",
     "-i --id -f --filename -d --display", "", -1, Check::kNone, "", "", true},
    {"ethtool",
     "-s -K -G -A -C -L -E -f -r -p -W -N -U -X -t -M --change --features --offload --set-* --pause "
     "--coalesce --change-eeprom --flash --reset --negotiate --identify --config-* --test",
     ""},
    {"sh bash zsh dash ksh mksh", "", "", "", -1, Check::kNone, "-n --noexec"},
    {"atop", "-w", "-r"},
    {"lsmod modinfo mdfind mdls duf dust procs dmesg-viewer lspath ioreg system_profiler", "", "-o"},
    {"diskutil", "", "", "list ...|info ...|activity ...|apfs list ...|cs list ..."},
    {"pmset", "", "", "", -1, Check::kNone, "-g"},
    {"defaults", "", "", "read ...|read-type ...|domains ...|find ..."},
    {"pyenv", "", "", "versions ...|version ...|which ...|root ...|prefix ...|commands ...|--version"},
    {"poetry", "", "", "show ...|env info ...|env list ...|check ...|config --list ...|version"},
    {"iw", "", "", "dev|dev * info ...|dev * link ...|dev * station dump ...|list ...|phy ...|reg get ..."},
    {"xmllint", "-o --output", "--xpath"},
    {"sar", "-o", "-f"},
    {"dstat", "--output", ""},
    {"dmesg", "-c --read-clear -C --clear -D --console-off -E --console-on -n --console-level",
     "-f -l --facility --level"},
    {"fuser", "-k --kill", "-n --namespace -s? -SIGNAL"},
    {"date gdate", "-s --set", "-d --date -f --file -r --reference -I --iso-8601", "", -1, Check::kDate},
    {"cal ncal", "", ""},
    {"hostname domainname", "-b --boot -F --file", "", "", 0},
    {"sysctl", "", "", "", -1, Check::kSysctl},
    {"mount", "", "-t --types", "", 0, Check::kNone, "", "-l -t --types -v"},
    {"swapon", "", "", "", 0, Check::kNone, "", "--show -s --summary --noheadings --raw --bytes"},
    {"fdisk", "", "-o -b -u", "", -1, Check::kNone, "-l --list -x --list-details"},
    {"sfdisk", "", "", "", -1, Check::kNone, "-l --list -d --dump -s --show-size -V --verify -J --json -F --list-free"},
    {"parted", "", "-s --script", "* print|* unit * print|* print free|* print all"},
    {"hdparm", "", "", "", -1, Check::kNone, "", "-I -i -g -C -t -T -tT -Tt"},
    {"smartctl", "-t --test -s --smart -o --offlineauto -S --saveauto -X --abort", "-d --device"},
    // Shell builtins that read, print or set shell-local state only.
    {"cd pushd popd dirs export declare typeset local readonly unset let read readarray mapfile shift getopts wait "
     "jobs exit return break continue shopt complete compgen caller times unalias set time",
     "", ""},
    {"umask", "", "", "", 0},
    {"ulimit", "", "", "", 0},
    {"history", "-c -d -w -a -r -n -s", ""},
    {"fc", "", "", "", -1, Check::kNone, "-l"},
    {"alias", "", "", "", -1, Check::kAlias},
    {"trap", "", "", "", -1, Check::kTrap},
    {"bind", "", "", "", -1, Check::kNone, "", "-p -P -l -s -S -v -V -q -m"},
    {"enable", "-f -d", ""},
    {"command", "", "", "", -1, Check::kNone, "-v -V"},
    {"kill", "", "", "", -1, Check::kNone, "-l -L --list --table"},
    {"env", "-S --split-string", "-u --unset", "", 0},
    {"xargs", "", "", "", 0},
    {"sudo", "", "-u -g -U", "", 0, Check::kNone, "-l --list -v --validate -k --reset-timestamp -K --remove-timestamp"},
    {"crontab", "-r -e -i", "-u", "", 0, Check::kNone, "-l"},
    {"at", "", "", "", -1, Check::kNone, "-l -c", "-l -c -q"},
    {"atq", "", "-q"},
    {"chage", "", "", "", -1, Check::kNone, "-l"},
    {"passwd", "", "", "", -1, Check::kNone, "-S --status", "-S --status -a --all"},
    {"faillock", "--reset", "--user --dir"},
    {"auditctl", "", "", "", -1, Check::kNone, "-l -s", "-l -s"},
    // Network: look, never change.
    {"traceroute traceroute6 tracepath mtr dig host nslookup whois drill getent", "", "-c -i -w -W -t -s -p -q -I -m"},
    // A flood sends as fast as replies come (or 100 a second): a load on the network, not a look.
    {"ping ping6", "-f --flood", "-c -i -w -W -t -s -p -q -I -m"},
    {"netstat", "", ""},
    {"ss", "-K --kill", "-f --family -A --query"},
    {"ifconfig", "", "", "", 1, Check::kNone, "", "-a -l -s -v -u -d"},
    {"iwconfig", "", "", "", 1},
    {"route", "", "", "", 0, Check::kNone, "", "-n -e -v -ee --numeric -4 -6 -A"},
    {"arp", "-d -s -f --delete --set --file", "-i -H"},
    {"ip", "", "", "", -1, Check::kIp},
    {"nmcli", "", "-f --fields -g --get-values -m --mode -c --colors -e --escape -w --wait",
     "|g*|g* s|g* st*|g* perm*|g* hostname|g* logging|d|d*|d* s|d* st*|d* sh* ...|d* wifi|d* wifi l* ...|c|c*|c* s|c* "
     "sh* ...|r|r*|r* all|r* wifi|r* wwan|n|n*|n* c* ...|m*"},
    {"resolvectl", "", "-i --interface -p --protocol -t --type -c --class",
     "|status ...|query ...|statistics|dns|dns *|domain|domain *|llmnr|llmnr *|mdns|mdns *|dnssec|dnssec *|dnsovertls|"
     "dnsovertls *|default-route|default-route *|monitor|show-cache|show-server-state|log-level"},
    {"ufw", "", "", "status ...|app list ...|app info ...|show ...|version"},
    {"nft", "-f --file", "", "list ..."},
    {"iptables ip6tables",
     "-A -D -I -R -F -X -P -N -E -Z --append --delete --insert --replace --flush --delete-chain "
     "--policy --new-chain --rename-chain --zero",
     "-t --table", "", -1, Check::kNone, "-L -S --list --list-rules"},
    {"iptables-save ip6tables-save", "-f --file", "-t --table"},
    {"firewall-cmd",
     "--add-* --remove-* --set-* --reload --complete-reload --runtime-to-permanent --panic-* --new-* "
     "--delete-* --change-*",
     "--zone", "", -1, Check::kNone, "--state --list-* --get-* --query-* --info-*"},
    {"curl",
     "-o --output -O --remote-name --remote-name-all -J --remote-header-name -T --upload-file -d --data --data-* "
     "--json "
     "-F --form --form-string -K --config -c --cookie-jar -D --dump-header --trace --trace-ascii --stderr --libcurl "
     "--etag-save --hsts --alt-svc -X --request --output-dir --create-dirs -Q --quote --mail-from --mail-rcpt "
     "--mail-auth --upload-flags --ssl-sessions --engine --unix-socket --abstract-unix-socket",
     "-H --header -A --user-agent -e --referer -u --user -m --max-time --connect-timeout -w --write-out -x --proxy -b "
     "--cookie --retry --resolve --cacert --cert --key -E -r --range -z --time-cond --url --url-query --variable "
     "--proxy-header",
     "", -1, Check::kCurl},
    {"wget", "", "", "", -1, Check::kWget},
    // Version control.
    {"git", "", "", "", -1, Check::kGit},
    {"tig", "", ""},
    {"hg", "--edit -e", "-R --repository -r --rev -l --limit",
     "status ...|st ...|log ...|diff ...|heads ...|branches ...|tags ...|summary ...|sum ...|id ...|identify ...|"
     "annotate ...|blame ...|cat ...|files ...|manifest ...|paths ...|root ...|version ...|help ..."},
    {"svn", "", "-r --revision -l --limit",
     "status ...|st ...|log ...|diff ...|di ...|info ...|list ...|ls ...|cat ...|blame ...|praise ...|annotate ...|"
     "propget ...|pg ...|proplist ...|pl ...|help ..."},
    // Containers, clusters, services.
    // -H/--context: another daemon; --config: another credential-helper set.
    {"docker podman nerdctl", "-H --host --context -c --config --url --connection --identity",
     "--log-level -l -f --file --filter --format -n --tail "
     "--since --until -p --project-name --env-file",
     "ps ...|images ...|image ls ...|image list ...|image inspect ...|image history ...|container ls ...|container "
     "list ...|container ps ...|container inspect ...|container logs ...|container top ...|container port ...|"
     "container diff ...|container stats ...|logs ...|inspect ...|version ...|info ...|stats ...|top ...|port ...|"
     "diff ...|history ...|search ...|events ...|network ls ...|network list ...|network inspect ...|volume ls ...|"
     "volume list ...|volume inspect ...|system df ...|system info ...|system events ...|context ls ...|context show "
     "...|context inspect ...|compose ps ...|compose logs ...|compose config ...|compose ls ...|compose images ...|"
     "compose top ...|compose version ...|buildx ls ...|manifest inspect ...|node ls ...|service ls ...|service ps "
     "...|service logs ...|stack ls ...|stack ps ...|secret ls ...|config ls ...|plugin ls ...|trust inspect ..."},
    {"crictl", "", "-r --runtime-endpoint",
     "ps ...|images ...|img ...|pods ...|logs ...|inspect ...|inspecti ...|inspectp ...|info ...|version ...|stats "
     "..."},
    // --kubeconfig can name exec credential plugins; --server sends the credentials elsewhere.
    {"kubectl oc", "--kubeconfig --server -s",
     "-n --namespace --context --cluster --user -l --selector -o --output -c --container "
     "-f --filename --field-selector --sort-by -L --label-columns --since --tail --token "
     "--as --as-group --request-timeout",
     "get ...|describe ...|logs ...|log ...|top ...|explain ...|version ...|api-resources ...|api-versions ...|"
     "cluster-info ...|config view ...|config get-contexts ...|config current-context ...|config get-clusters ...|"
     "config get-users ...|auth can-i ...|auth whoami ...|events ...|rollout status ...|rollout history ...|diff ...|"
     "options ...|plugin list ..."},
    {"helm", "--post-renderer --post-renderer-args --kubeconfig --kube-apiserver",
     "-n --namespace --kube-context -o --output -f --values --set --version",
     "list ...|ls ...|status ...|get ...|history ...|show ...|search ...|version ...|env ...|template ...|lint ...|"
     "repo list ...|plugin list ...|dependency list ...|verify ..."},
    {"kubectx kubens", "", "", "", 0},
    {"systemctl", "", "-t --type --state -p --property -n --lines -o --output -H --host -M --machine",
     "|status ...|show ...|list-units ...|list-unit-files ...|list-sockets ...|list-timers ...|list-jobs ...|"
     "list-dependencies ...|list-machines ...|list-automounts ...|list-paths ...|is-active ...|is-enabled ...|"
     "is-failed ...|is-system-running ...|cat ...|help ...|get-default ...|show-environment ..."},
    {"journalctl",
     "--vacuum-size --vacuum-time --vacuum-files --rotate --flush --sync --relinquish-var --smart-relinquish-var "
     "--setup-keys --update-catalog --cursor-file",
     "-u --unit -n --lines -p --priority -S --since -U --until -b --boot -o --output -t --identifier -g --grep"},
    {"service", "", "", "|* status"},
    {"launchctl", "", "", "list ...|print ...|print-disabled ...|blame ...|version ...|help ...|managerpid|manageruid"},
    {"timedatectl", "", "", "|status ...|show ...|list-timezones ...|timesync-status ...|show-timesync ..."},
    {"hostnamectl", "", "", "|status ..."},
    {"localectl", "", "", "|status ...|list-locales ...|list-keymaps ...|list-x11-keymap-* ..."},
    {"loginctl", "", "",
     "|list-sessions ...|list-users ...|list-seats ...|show-session ...|show-user ...|session-status ...|user-status "
     "...|seat-status ..."},
    {"networkctl", "", "", "|list ...|status ...|lldp ..."},
    {"busctl", "", "", "list ...|status ...|tree ...|introspect ..."},
    {"coredumpctl", "", "", "|list ...|info ..."},
    {"systemd-analyze", "", "",
     "|time ...|blame ...|critical-chain ...|plot ...|dot ...|security ...|verify ...|calendar ...|timespan ...|"
     "timestamp ...|cat-config ...|unit-paths ..."},
    {"virsh", "", "-c --connect",
     "list ...|dominfo ...|domstate ...|dumpxml ...|net-list ...|pool-list ...|vol-list ...|nodeinfo ...|version ...|"
     "capabilities ..."},
    {"vagrant", "", "", "status ...|global-status ...|version ...|box list ...|ssh-config ..."},
    {"lxc multipass", "", "",
     "list ...|ls ...|info ...|version ...|find ...|image list ...|storage list ...|network list ..."},
    {"perf", "", "", "list ...|report ...|annotate ...|script ...|version ...|top ...|evlist ..."},
    {"tmux", "-c", "-L -S -f -t",
     "ls ...|list-sessions ...|list-windows ...|lsw ...|list-panes ...|lsp ...|list-clients ...|list-buffers ...|"
     "list-keys ...|list-commands ...|show-options ...|show ...|show-environment ...|display-message ...|display ...|"
     "has-session ...|has ...|info ...",
     -1, Check::kTmux},
    {"screen", "", "", "", -1, Check::kNone, "-ls -list"},
    // Packages: queries.
    // -o/-c: any APT setting, programs to run (Dir::Bin::…) included.
    {"apt", "-o -c --option --config-file", "-t",
     "list ...|search ...|show ...|policy ...|depends ...|rdepends ...|changelog ...|showsrc ...|help ..."},
    {"apt-cache", "-o -c --option --config-file", "",
     "search ...|show ...|showpkg ...|showsrc ...|policy ...|depends ...|rdepends ...|pkgnames ...|stats ...|dump ...|"
     "dumpavail ...|madison ...|unmet ...|dotty ...|xvcg ..."},
    {"apt-file", "", "", "search ...|list ...|find ...|show ..."},
    {"dpkg", "", "", "", -1, Check::kNone,
     "-l --list -L --listfiles -S --search -s --status -p --print-avail --print-architecture "
     "--print-foreign-architectures --get-selections -c --contents -I --info --compare-versions --audit -C --verify -V",
     "-l --list -L --listfiles -S --search -s --status -p --print-avail --print-architecture "
     "--print-foreign-architectures --get-selections -c --contents -I --info --compare-versions --audit -C --verify -V "
     "--no-pager"},
    {"dpkg-query", "", ""},
    {"rpm", "", "", "", -1, Check::kRpm},
    {"dnf yum microdnf", "", "-c --config --repo --enablerepo --disablerepo",
     "list ...|info ...|search ...|provides ...|whatprovides ...|repolist ...|repoquery ...|history|history list ...|"
     "history info ...|deplist ...|check-update ...|help ..."},
    {"zypper", "", "",
     "search ...|se ...|info ...|if ...|list-updates ...|lu ...|packages ...|pa ...|patterns ...|pt ...|repos ...|lr "
     "...|services ...|ls ...|products ...|pd ...|patches ...|lp ...|what-provides ...|wp ..."},
    {"pacman", "", "", "", -1, Check::kPacman},
    {"apk", "", "", "info ...|search ...|list ...|policy ...|version ...|stats ...|dot ...|audit ..."},
    {"brew", "", "",
     "|list ...|ls ...|info ...|search ...|outdated ...|deps ...|uses ...|leaves ...|config ...|doctor ...|desc ...|"
     "commands ...|log ...|cat ...|options ...|tap-info ..."},
    {"port", "", "", "installed ...|list ...|search ...|info ...|deps ...|contents ...|outdated ..."},
    {"snap", "", "",
     "list ...|info ...|find ...|search ...|version ...|connections ...|services ...|logs ...|changes ...|tasks ...|"
     "interfaces ...|aliases ...|get ...|warnings ..."},
    {"flatpak", "", "",
     "list ...|info ...|search ...|remote-ls ...|remotes ...|history ...|ps ...|remote-info ...|documents ...|"
     "permissions ..."},
    {"nix-env", "", "", "", -1, Check::kNone, "-q --query"},
    {"pip pip3 pip2", "", "--python -i --index-url --extra-index-url",
     "list ...|show ...|freeze ...|check ...|search ...|index versions ...|inspect ...|config list ...|config get ...|"
     "config debug ...|debug ...|help ...|cache list ...|cache dir ...|cache info ...|hash ..."},
    {"pipx", "", "", "list ...|environment ..."},
    {"uv", "", "",
     "pip list ...|pip show ...|pip freeze ...|pip tree ...|python list ...|tool list ...|version ...|tree ..."},
    {"npm", "", "-w --workspace --prefix",
     "ls ...|list ...|ll ...|la ...|view ...|info ...|show ...|v ...|outdated ...|search ...|s ...|se ...|find ...|"
     "config get ...|config list ...|config ls ...|get ...|root ...|prefix ...|bin ...|why ...|explain ...|audit|"
     "doctor ...|whoami ...|ping ...|help ...|help-search ...|fund ...|query ...|sbom ..."},
    {"pnpm", "", "-C --dir --filter",
     "ls ...|list ...|outdated ...|why ...|view ...|info ...|audit|root ...|store path ...|config get ...|config list "
     "..."},
    {"yarn", "", "--cwd",
     "list ...|info ...|why ...|outdated ...|config get ...|config list ...|audit|workspaces list ..."},
    {"gem", "", "",
     "list ...|search ...|info ...|query ...|contents ...|environment ...|env ...|help ...|which ...|specification ...|"
     "spec ...|outdated ...|dependency ...|dep ..."},
    {"bundle", "", "", "list ...|show ...|info ...|outdated ...|check ..."},
    {"cargo", "", "--manifest-path -p --package",
     "|tree ...|metadata ...|search ...|version ...|help ...|locate-project ...|pkgid ...|verify-project ...|"
     "read-manifest ..."},
    {"rustup", "", "", "show ...|toolchain list ...|target list ...|component list ...|which ..."},
    {"go", "-w -u", "", "version ...|env ...|list ...|doc ...|help ..."},
    {"conda mamba micromamba", "", "-n --name -p --prefix", "list ...|info ...|search ...|env list ..."},
    {"composer", "", "-d --working-dir",
     "show ...|info ...|outdated ...|licenses ...|depends ...|why ...|why-not ...|validate ...|diagnose ...|search ...|"
     "check-platform-reqs ...|about ..."},
    {"dotnet", "", "", "", -1, Check::kNone, "--info --list-sdks --list-runtimes"},
    {"java javac", "", "", "", 0, Check::kNone, "-version --version -showversion", "-version --version -showversion",
     true},
    {"ansible-inventory", "", "-i --inventory", "", -1, Check::kNone, "--list --graph --host"},
    // Clouds and forges: list, describe, show.
    {"aws", "",
     "--region --profile --output --query --endpoint-url --color --ca-bundle --cli-read-timeout "
     "--cli-connect-timeout --max-items --page-size --starting-token",
     "s3 ls ...|* describe-* ...|* list-* ...|sts get-caller-identity ...|configure list ...|configure get ...|help "
     "..."},
    {"gcloud", "",
     "--project --region --zone --format --filter --account --configuration --limit --sort-by "
     "--page-size --verbosity",
     "** list ...|** describe ...|config list ...|config get-value ...|config get ...|info ...|version ...|auth list "
     "...|help ..."},
    {"gsutil", "", "-o -p", "ls ...|cat ...|du ...|stat ...|version ...|hash ...|help ..."},
    {"az", "", "-g --resource-group --subscription -o --output --query",
     "** list ...|** show ...|account show ...|version ..."},
    {"doctl", "", "-o --output --context", "** list ...|** get ...|account get ...|version ..."},
    {"gh", "",
     "-R --repo -L --limit -s --state -a --assignee -A --author -l --label -B --base --json -q --jq -t "
     "--template -b --branch",
     "pr list ...|pr view ...|pr status ...|pr diff ...|pr checks ...|issue list ...|issue view ...|issue status ...|"
     "repo view ...|repo list ...|run list ...|run view ...|release list ...|release view ...|auth status ...|status "
     "...|search ...|gist list ...|gist view ...|workflow list ...|workflow view ...|label list ...|cache list ..."},
    {"glab", "", "-R --repo",
     "mr list ...|mr view ...|issue list ...|issue view ...|repo view ...|ci list ...|ci view ...|ci status ...|auth "
     "status ..."},
    {"terraform tofu", "-out -state-out -backup", "-chdir -var -var-file",
     "show ...|output ...|version ...|validate ...|providers ...|graph ...|state list ...|state show ...|workspace "
     "list "
     "...|workspace show ...",  // not plan: it runs `external` data programs
     -1, Check::kNone, "", "", true},
    {"pulumi", "", "-s --stack -C --cwd",
     "stack ls ...|stack output ...|preview ...|whoami ...|version ...|about ...|logs ..."},
    {"vault", "", "-address -namespace -format -field",
     "status ...|read ...|kv get ...|kv list ...|list ...|token lookup ...|version ...|secrets list ...|auth list ...|"
     "policy list ...|policy read ...",
     -1, Check::kNone, "", "", true},
    // Keys and certificates: inspect.
    {"ssh-keygen", "", "-f -E", "", -1, Check::kNone, "-l -F -L -y -B", "-l -f -E -v -F -L -y -B -lf -lv -lvf -yf -Bf"},
    {"ssh-add", "", "", "", -1, Check::kNone, "-l -L", "-l -L -E -v"},
    // ssh -G -F FILE evaluates `Match exec` in FILE; -E appends a log to a file.
    {"ssh", "-F -E", "-p -l", "", -1, Check::kNone, "-V -G"},
    {"gpg gpg2", "", "--keyid-format", "", -1, Check::kNone,
     "--list-keys -k --list-secret-keys -K --fingerprint --list-sigs --check-sigs --verify --list-packets",
     "--list-keys -k --list-secret-keys -K --fingerprint --list-sigs --check-sigs --verify --list-packets "
     "--with-colons "
     "--keyid-format --with-fingerprint -v --verbose"},
    {"openssl",
     "-out -keyout -new -newkey -genkey -CAcreateserial -sess_out -keylogfile -msgfile -writerand -engine -provider "
     "-provider-path -ssl_config -config",
     "-in -inform -outform -connect -servername -CAfile -CApath -name -nameopt -certopt",
     "version ...|x509 ...|req ...|verify ...|ciphers ...|list ...|dgst ...|sha256 ...|sha1 ...|md5 ...|s_client ...|"
     "asn1parse ...|crl ...|rand ...",
     -1, Check::kNone, "", "", true},
    // Interpreters: only their version, or code that only computes.
    {"python python3 python2 pypy pypy3 node nodejs ruby perl", "", "", "", -1, Check::kInterpreter},
};

// Verbs that change something; `**` in a path never steps over one.
constexpr std::string_view kMutatingVerbs =
    " create delete update set add remove rm reset start stop restart deploy run ssh scp import export patch apply "
    "edit "
    "destroy purge cancel enable disable move rename resize attach detach copy cp mv push submit execute exec call "
    "invoke revoke grant login logout activate unset install uninstall upgrade rollback suspend resume kill terminate "
    "modify put post upload download sync connect ";

// What a known but state-changing command does, for the finding's message.
const std::unordered_map<std::string_view, std::string_view>& KnownEffects() {
  static const std::unordered_map<std::string_view, std::string_view> m = {
      {"mkdir", "creates directories"},
      {"touch", "creates files or changes their times"},
      {"cp", "copies files, replacing existing ones"},
      {"mv", "moves or renames files"},
      {"ln", "creates links"},
      {"rmdir", "removes directories"},
      {"tee", "writes files"},
      {"dd", "copies data to a file or device"},
      {"truncate", "changes the size of files"},
      {"split", "writes pieces of a file"},
      {"csplit", "writes pieces of a file"},
      {"install", "copies files and sets their attributes"},
      {"mktemp", "creates a temporary file"},
      {"patch", "changes files"},
      {"rsync", "copies files, possibly to another host"},
      {"scp", "copies files between hosts"},
      {"sftp", "transfers files between hosts"},
      {"ssh", "runs commands on another host"},
      {"vim", "opens an editor that can change files and run commands"},
      {"vi", "opens an editor that can change files and run commands"},
      {"nvim", "opens an editor that can change files and run commands"},
      {"nano", "opens an editor that can change files"},
      {"emacs", "opens an editor that can change files and run code"},
      {"code", "opens an editor"},
      {"tcpdump", "captures network traffic, and can write capture files"},
      {"gdb", "debugs programs: it can run them and change running processes"},
      {"ncdu", "can delete files interactively"},
  };
  return m;
}

// The words of a space-separated list in the table; runs of spaces make no
// empty words. (The |-separated `paths` keep theirs: an empty path is "no
// subcommand".)
std::vector<std::string_view> ListWords(std::string_view list) {
  std::vector<std::string_view> words = Split(list, ' ');
  std::erase(words, std::string_view());
  return words;
}

bool InList(std::string_view list, std::string_view word) {
  for (auto w : ListWords(list))
    if (w == word) return true;
  return false;
}

bool Glob(std::string_view pattern, std::string_view text) {
  return fnmatch(std::string(pattern).c_str(), std::string(text).c_str(), 0) == 0;
}

// Whether an option word uses one of `list` (short letters in a cluster,
// long names and their GNU abbreviations, fnmatch patterns). `values`
// lists short options whose value follows them in the same word.
//
// GNU getopt_long takes any unambiguous prefix of a long option (`--o` for
// `--output`). With `any_prefix` (the `writes` lists) every prefix counts,
// down to one letter after `--`: over-matching only makes a rating more
// careful. A word that is itself an option named in `values` is that option,
// not a prefix (getopt_long prefers an exact match: tar `--checkpoint`).
// Allow-style lists (`only`, `needs`) keep the stricter two letters.
bool UsesOption(std::string_view list, std::string_view values, const std::string& arg, bool single_dash_long,
                std::string* which, bool any_prefix = false) {
  if (list.empty()) return false;
  const bool is_long = arg.rfind("--", 0) == 0 || single_dash_long;
  if (is_long) {
    const std::string name = arg.substr(0, arg.find('='));
    const size_t min_prefix = any_prefix ? 3 : 4;
    const bool exact_other = InList(values, name);
    for (auto o : ListWords(list)) {
      const bool o_long = o.rfind("--", 0) == 0 || (single_dash_long && o.size() > 2);
      if (!o_long && !(single_dash_long && o.size() == 2)) continue;
      // The literal part of a pattern (`--data-*` → `--data-`) takes prefixes too.
      const std::string_view lit = o.substr(0, std::min(o.find_first_of("*?["), o.size()));
      if (o == name || (o.find('*') != std::string_view::npos && Glob(o, name)) ||
          (name.size() >= min_prefix && !exact_other && lit.size() > name.size() &&
           lit.substr(0, name.size()) == name && name.rfind("--", 0) == 0)) {
        *which = name;
        return true;
      }
    }
    return false;
  }
  // A cluster of short options: -rfo, -n5.
  for (size_t i = 1; i < arg.size(); ++i) {
    const std::string flag = std::string("-") + arg[i];
    if (InList(list, flag)) {
      *which = flag;
      return true;
    }
    if (InList(values, flag)) break;  // the rest of the word is its value
  }
  return false;
}

bool IsOption(const Word& w) { return w.text.size() > 1 && w.text[0] == '-'; }

// Positional words, skipping options and the values of `values` options.
std::vector<const Word*> Positionals(const SimpleCommand& c, std::string_view values) {
  return detail::NonOptions(c, true, [&](const std::string& option) {
    return option.find('=') == std::string::npos && InList(values, option);
  });
}

bool MatchPathWords(const std::vector<std::string_view>& pat, size_t pi, const std::vector<const Word*>& words,
                    size_t wi) {
  if (pi == pat.size()) return wi == words.size();
  if (pat[pi] == "...") return true;
  if (pat[pi] == "**") {
    for (size_t k = wi; k <= words.size(); ++k) {
      if (MatchPathWords(pat, pi + 1, words, k)) return true;
      if (k < words.size() && kMutatingVerbs.find(" " + words[k]->text + " ") != std::string_view::npos) return false;
    }
    return false;
  }
  if (wi >= words.size()) return false;
  if (words[wi]->dynamic || !Glob(pat[pi], words[wi]->text)) return false;
  return MatchPathWords(pat, pi + 1, words, wi + 1);
}

bool MatchPaths(std::string_view paths, const std::vector<const Word*>& words) {
  for (auto p : Split(paths, '|')) {
    const auto pat = ListWords(p);
    if (MatchPathWords(pat, 0, words, 0)) return true;
  }
  return false;
}

ProfileVerdict Yes() {
  ProfileVerdict v;
  v.read_only = true;
  v.known = true;
  return v;
}

ProfileVerdict No(const SimpleCommand& c, const std::string& reason, const Word* at = nullptr) {
  ProfileVerdict v;
  v.known = true;
  v.reason = reason;
  v.start = at ? at->start : c.start;
  v.end = at ? at->end : c.end;
  return v;
}

// --- awk ---------------------------------------------------------------------

// The program text: the first operand that is not an assignment, or -e/--source.
bool AwkProgramIsReadOnly(const std::string& prog, std::string* why) {
  if (prog.find("system") != std::string::npos) return *why = "the awk program calls system()", false;
  if (prog.find("@load") != std::string::npos) return *why = "the awk program loads an extension", false;
  // gawk `@name(…)` calls the function a variable names (`@f("rm …")` with
  // f=system); `@include`/`@load`/`@namespace` bring in code. Outside "…"
  // and outside a /regex/ (`/a@b/` matches an address): a `/` opens one
  // where no operand stands before it, else it divides.
  bool in_string = false;
  char before = '\0';  // the last character outside blanks, strings and regexes
  for (size_t i = 0; i < prog.size(); ++i) {
    if (!in_string && prog[i] == '/' && (before == '\0' || std::strchr("(,{};!~&|?:=\n+-*%<>^", before))) {
      for (++i; i < prog.size() && prog[i] != '/'; ++i)
        if (prog[i] == '\\') ++i;
      before = '/';
      continue;
    }
    if (!in_string && prog[i] != ' ' && prog[i] != '\t' && prog[i] != '"') before = prog[i];
    if (in_string && prog[i] == '\\') {
      ++i;
    } else if (prog[i] == '"') {
      in_string = !in_string;
      if (!in_string) before = '"';
    } else if (!in_string && prog[i] == '@' && i + 1 < prog.size() &&
               (std::isalpha(static_cast<unsigned char>(prog[i + 1])) || prog[i + 1] == '_')) {
      return *why = "the awk program makes an indirect call or includes code (@)", false;
    }
  }
  for (size_t i = 0; i < prog.size(); ++i) {
    if (prog[i] == '|' && !(i + 1 < prog.size() && prog[i + 1] == '|') && !(i > 0 && prog[i - 1] == '|'))
      return *why = "the awk program pipes to or from a command", false;
    if (prog[i] == '>') {
      // Output redirection only follows print/printf in the same statement.
      size_t s = prog.find_last_of(";{}\n", i);
      std::string stmt = prog.substr(s == std::string::npos ? 0 : s + 1, i - (s == std::string::npos ? 0 : s + 1));
      size_t k = stmt.find_first_not_of(" \t");
      if (k != std::string::npos && stmt.compare(k, 5, "print") == 0)
        return *why = "the awk program writes to a file", false;
    }
  }
  return true;
}

// --- sed ---------------------------------------------------------------------

// Reads a sed script command by command. Any command that writes (w, W, s///w),
// runs (e, s///e) or that this reader does not know makes it not read-only.
bool SedScriptIsReadOnly(const std::string& s, std::string* why) {
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == ';')) ++i;
  };
  auto read_delimited = [&](char d) {  // after the opening delimiter; stops after the closing one
    while (i < s.size() && s[i] != d) {
      if (s[i] == '\\') ++i;
      if (s[i] == '\n' && d != '\n') return false;
      ++i;
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  };
  auto to_eol = [&] {
    while (i < s.size() && s[i] != '\n') ++i;
  };
  for (int guard = 0; guard < 100000; ++guard) {
    skip_ws();
    if (i >= s.size()) return true;
    // Addresses: numbers, $, /re/, \cREc, first~step, ranges, negation.
    for (int a = 0; a < 2; ++a) {
      if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '~')) ++i;
      } else if (i < s.size() && s[i] == '$') {
        ++i;
      } else if (i < s.size() && s[i] == '/') {
        ++i;
        if (!read_delimited('/')) return *why = "cmdai cannot read this sed script", false;
        while (i < s.size() && (s[i] == 'I' || s[i] == 'M')) ++i;
      } else if (i + 1 < s.size() && s[i] == '\\') {
        char d = s[i + 1];
        i += 2;
        if (!read_delimited(d)) return *why = "cmdai cannot read this sed script", false;
      }
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (a == 0 && i < s.size() && s[i] == ',') {
        ++i;
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '~')) ++i;
        continue;
      }
      break;
    }
    while (i < s.size() && (s[i] == '!' || s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) return true;
    const char cmd = s[i++];
    switch (cmd) {
      case '{':
      case '}':
      case '=':
      case 'd':
      case 'D':
      case 'g':
      case 'G':
      case 'h':
      case 'H':
      case 'n':
      case 'N':
      case 'p':
      case 'P':
      case 'x':
      case 'z':
      case 'F':
      case 'l':
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;  // l 70
        break;
      case 'q':
      case 'Q':
      case 'L':
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ' ')) ++i;
        break;
      case ':':
      case 'b':
      case 't':
      case 'T':
        while (i < s.size() && s[i] != ';' && s[i] != '\n' && s[i] != '}') ++i;
        break;
      case 'a':
      case 'i':
      case 'c':
      case 'r':
      case 'R':
      case '#':
        to_eol();  // text, or a file that is read
        break;
      case 'w':
      case 'W': return *why = "the sed script writes a file (w)", false;
      case 'e': return *why = "the sed script runs a command (e)", false;
      case 's':
      case 'y': {
        if (i >= s.size()) return *why = "cmdai cannot read this sed script", false;
        const char d = s[i++];
        if (d == '\n' || d == '\\') return *why = "cmdai cannot read this sed script", false;
        if (!read_delimited(d) || !read_delimited(d)) return *why = "cmdai cannot read this sed script", false;
        if (cmd == 's') {
          while (i < s.size() && s[i] != ';' && s[i] != '\n' && s[i] != '}') {
            if (s[i] == 'e') return *why = "the sed substitution runs its result as a command (s///e)", false;
            if (s[i] == 'w') return *why = "the sed substitution writes a file (s///w)", false;
            if (!std::isalnum(static_cast<unsigned char>(s[i])) && s[i] != ' ' && s[i] != '\t')
              return *why = "cmdai cannot read this sed script", false;
            ++i;
          }
        }
        break;
      }
      default: return *why = std::string("cmdai does not know the sed command '") + cmd + "'", false;
    }
  }
  return *why = "the sed script is too long to read", false;
}

// --- git ---------------------------------------------------------------------

bool GitKeyHarmless(const std::string& key) {
  for (const char* prefix : {"color.", "log.", "column.", "i18n.", "advice.", "format.pretty", "user.", "grep."})
    if (key.rfind(prefix, 0) == 0) return true;
  return key == "core.quotepath" || key == "core.abbrev" || key == "safe.directory" || key == "diff.renames" ||
         key == "diff.noprefix" || key == "diff.mnemonicprefix";
}

ProfileVerdict Git(const SimpleCommand& c) {
  const auto& a = c.args;
  size_t i = 0;
  for (; i < a.size(); ++i) {
    const std::string& t = a[i].text;
    if (t == "-C" || t == "--git-dir" || t == "--work-tree" || t == "--namespace") {
      ++i;
      continue;
    }
    if (t == "-c" || t.rfind("--config-env", 0) == 0) {
      std::string kv = t == "-c" && i + 1 < a.size() ? a[++i].text : t;
      const std::string key = kv.substr(0, kv.find('='));
      if (!GitKeyHarmless(key))
        return No(
            c, GitConfigKeyRuns(key) ? "git -c " + key + " runs a program" : "git -c " + key + " changes how git works",
            &a[i]);
      continue;
    }
    if (t.rfind("--exec-path=", 0) == 0)
      return No(c, "git --exec-path runs git commands from another directory", &a[i]);
    if (t.size() > 1 && t[0] == '-') continue;  // --no-pager, -P, --bare, --git-dir=…, …
    break;
  }
  if (i >= a.size()) return Yes();  // bare `git` prints usage
  const std::string sub = a[i].dynamic ? "" : a[i].text;
  std::vector<const Word*> rest;
  std::vector<const Word*> options;
  for (size_t k = i + 1; k < a.size(); ++k) {
    if (IsOption(a[k]))
      options.push_back(&a[k]);
    else
      rest.push_back(&a[k]);
  }
  auto has = [&](std::initializer_list<const char*> names) -> const Word* {
    for (const Word* w : options)
      for (const char* n : names) {
        const std::string& t = w->text;
        if (t == n || (std::string_view(n).rfind("--", 0) == 0 && t.rfind(std::string(n) + "=", 0) == 0)) return w;
        if (std::string_view(n).size() == 2 && n[0] == '-' && t.size() > 2 && t[0] == '-' && t[1] != '-' &&
            t.find(n[1]) != std::string::npos)
          return w;
      }
    return nullptr;
  };
  // Options that write or run: GNU-style prefixes count too (git's option
  // parser takes any unambiguous prefix: `--unset-a`, `--upl=`, `--op=`).
  auto has_w = [&](std::string_view list) -> const Word* {
    std::string which;
    for (const Word* w : options)  // `--text` is an option of its own, not `--textconv`
      if (UsesOption(list, "--text --exec-path", w->text, false, &which, true)) return w;
    return nullptr;
  };
  static const char* kReadOnly[] = {
      "status",      "log",        "diff",         "show",          "blame",        "annotate",   "shortlog",
      "describe",    "rev-parse",  "rev-list",     "ls-files",      "ls-tree",      "ls-remote",  "cat-file",
      "whatchanged", "help",       "version",      "count-objects", "check-ignore", "check-attr", "var",
      "name-rev",    "merge-base", "for-each-ref", "show-ref",      "show-branch",  "cherry",     "range-diff",
      "diff-tree",   "diff-files", "diff-index",   "verify-commit", "verify-tag",   "grep",       "instaweb-no"};
  bool known = false;
  for (const char* s : kReadOnly) known |= sub == s;
  if (known) {
    if (const Word* w = has_w("--output")) return No(c, "git " + sub + " --output writes a file", w);
    if (sub == "grep")
      if (const Word* w = has_w("-O --open-files-in-pager")) return No(c, "git grep -O runs a program", w);
    if (sub == "ls-remote")
      if (const Word* w = has_w("--upload-pack --exec")) return No(c, "git ls-remote --upload-pack runs a program", w);
    if (sub == "help")
      if (const Word* w = has_w("-w --web")) return No(c, "git help " + w->text + " starts a browser or viewer", w);
    // --ext-diff and --textconv run the programs that the configuration names.
    if (const Word* w = has_w("--ext-diff --textconv"))
      if (w->text.rfind("--no-", 0) != 0) return No(c, "git " + sub + " " + w->text + " runs a configured program", w);
    return Yes();
  }
  if (sub == "branch") {
    if (const Word* w = has({"-d", "-D", "-m", "-M", "-c", "-C", "-f", "-u", "--delete", "--move", "--copy", "--force",
                             "--set-upstream-to", "--unset-upstream", "--edit-description", "--track"}))
      return No(c, "git branch " + w->text + " changes branches", w);
    if (rest.empty() || has({"-l", "--list", "--contains", "--merged", "--no-merged", "--points-at"})) return Yes();
    return No(c, "git branch NAME creates a branch", rest[0]);
  }
  if (sub == "tag") {
    if (const Word* w = has({"-d", "-a", "-s", "-f", "-m", "-F", "-u", "--delete", "--annotate", "--sign", "--force"}))
      return No(c, "git tag " + w->text + " changes tags", w);
    if (rest.empty() || has({"-l", "--list", "--contains", "--merged", "--no-merged", "--points-at"})) return Yes();
    return No(c, "git tag NAME creates a tag", rest[0]);
  }
  if (sub == "remote") {
    if (rest.empty() || rest[0]->text == "show" || rest[0]->text == "get-url") return Yes();
    return No(c, "git remote " + rest[0]->text + " changes remotes", rest[0]);
  }
  if (sub == "stash" || sub == "worktree" || sub == "submodule" || sub == "notes" || sub == "reflog") {
    const std::string verb = rest.empty() ? "" : rest[0]->text;
    if ((sub == "stash" && (verb == "list" || verb == "show")) || (sub == "worktree" && verb == "list") ||
        (sub == "submodule" && (verb.empty() || verb == "status" || verb == "summary")) ||
        (sub == "notes" && (verb.empty() || verb == "list" || verb == "show")) ||
        (sub == "reflog" && (verb.empty() || verb == "show")))
      return Yes();
    return No(c, "git " + sub + (verb.empty() ? "" : " " + verb) + " changes the repository", &a[i]);
  }
  if (sub == "config") {
    if (has_w("--add --unset --unset-all --replace-all --edit -e --rename-section --remove-section") ||
        (!rest.empty() && !rest[0]->dynamic && InList("edit set unset rename-section remove-section", rest[0]->text)))
      return No(c, "git config changes settings", &a[i]);
    if (has({"--get", "--get-all", "--get-regexp", "--list", "-l", "--get-urlmatch"})) return Yes();
    if (!rest.empty() && (rest[0]->text == "get" || rest[0]->text == "list")) return Yes();
    if (rest.size() == 1) return Yes();  // git config KEY prints it
    return No(c, "git config KEY VALUE changes a setting", &a[i]);
  }
  if (sub == "clean" && has({"-n", "--dry-run"}) && !has({"-f", "--force", "-i", "--interactive"})) return Yes();
  if (sub == "symbolic-ref" && rest.size() <= 1 && !has({"-d", "--delete"})) return Yes();
  return No(c,
            sub.empty() ? "the git command is only known at run time"
                        : "git " + sub +
                              " changes the repository or "
                              "talks to a remote",
            &a[i]);
}

// --- the rest of the checks --------------------------------------------------

ProfileVerdict Find(const SimpleCommand& c) {
  for (const auto& w : c.args)
    for (const char* act : {"-delete", "-fprint", "-fprint0", "-fprintf", "-fls"})
      if (w.text == act)
        return No(c, std::string("find ") + act + (w.text == "-delete" ? " deletes files" : " writes a file"), &w);
  return Yes();  // -exec/-ok commands are extracted and rated on their own
}

ProfileVerdict Tar(const SimpleCommand& c) {
  // Only reads: listing (-t), comparing (-d), extracting to stdout (-x -O),
  // and creating into stdout or /dev/null (-cf -, -cf /dev/null).
  bool list = false, compare = false, to_stdout = false;
  const Word* changes = nullptr;  // the word that creates, extracts or changes
  std::string archive;            // -f's value
  bool creates = false;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const Word& w = c.args[i];
    const std::string& t = w.text;
    // Options that run a program or write a file, and their GNU abbreviations
    // (`--to-c=`, `--index-f=`). `--checkpoint` itself only counts.
    std::string which;
    const bool old_style = i == 0 && !t.empty() && t[0] != '-';  // `tvfI`: its values are the next words
    const std::string word = old_style ? "-" + t : t;
    if (t != "--checkpoint" && t.rfind("--checkpoint=", 0) != 0 && (old_style || IsOption(w)) &&
        UsesOption("--to-command --checkpoint-action --use-compress-program --info-script --new-volume-script "
                   "--rmt-command --rsh-command --index-file --volno-file --remove-files -I -F",
                   old_style ? "" : "-f -C -T -X -b -g -K -L -N -V -H", word, false, &which, true))
      return No(c, "tar " + which + " runs a program, writes a file or deletes files", &w);
    if (t == "--list" || (t.size() >= 4 && std::string_view("--list").starts_with(t))) list = true;
    if (t == "--diff" || t == "--compare") compare = true;
    if (t == "--to-stdout") to_stdout = true;
    if (t.rfind("--file=", 0) == 0) archive = t.substr(7);
    if (t == "--file" && i + 1 < c.args.size()) archive = c.args[i + 1].text;
    const bool cluster = (t.size() > 1 && t[0] == '-' && t[1] != '-') || (i == 0 && !t.empty() && t[0] != '-');
    if (cluster) {
      for (size_t k = t[0] == '-' ? 1 : 0; k < t.size(); ++k) {
        const char ch = t[k];
        if (ch == 't') list = true;
        if (ch == 'd') compare = true;
        if (ch == 'O') to_stdout = true;
        if (ch == 'c') creates = true;
        if ((ch == 'c' || ch == 'x' || ch == 'r' || ch == 'u' || ch == 'A') && !changes) changes = &w;
        if (ch == 'f') {
          archive = t[0] == '-' && k + 1 < t.size() ? t.substr(k + 1) : i + 1 < c.args.size() ? c.args[i + 1].text : "";
          break;
        }
      }
    }
    if (t == "--create") creates = true;
    if ((t == "--create" || t == "--extract" || t == "--get" || t == "--append" || t == "--update" || t == "--delete" ||
         t == "--catenate" || t == "--concatenate") &&
        !changes)
      changes = &w;
  }
  if (!changes) return list || compare ? Yes() : No(c, "tar without -t writes or extracts files");
  const bool extracts_to_stdout = to_stdout && !creates;
  const bool creates_nowhere = creates && (archive == "-" || archive == "/dev/null" || archive == "/dev/stdout");
  if ((extracts_to_stdout || creates_nowhere) && changes->text.find_first_of("ruA") == std::string::npos) return Yes();
  return No(c, "tar creates, extracts or changes an archive", changes);
}

ProfileVerdict Rpm(const SimpleCommand& c) {
  bool query = false;
  for (const auto& w : c.args) {
    const std::string& t = w.text;
    if (t == "--query" || t == "-V" || t == "--verify" || t == "-K" || t == "--checksig" || t == "--querytags" ||
        t == "--showrc")
      query = true;
    else if (t.size() > 1 && t[0] == '-' && t[1] != '-' && t.find('q') != std::string::npos)
      query = true;
    else if (std::string which;
             t.size() > 1 && t[0] == '-' &&
             UsesOption("--pipe --eval --define -E -D --rcfile --macros --dbpath --root --load --predefine",
                        "--queryformat --qf", t, false, &which, true))
      return No(c, "rpm " + which + " runs a command, expands macros or reads another configuration", &w);
    else if (t == "-i" || t == "--install" || t == "-U" || t == "--upgrade" || t == "-F" || t == "--freshen" ||
             t == "-e" || t == "--erase" || t == "--import" || t == "--initdb" || t == "--rebuilddb" ||
             t == "--setperms" || t == "--setugids" || t == "--restore")
      return No(c, "rpm " + t + " changes installed packages", &w);
  }
  return query ? Yes() : No(c, "rpm without -q changes installed packages");
}

ProfileVerdict Pacman(const SimpleCommand& c) {
  for (const auto& w : c.args) {
    const std::string& t = w.text;
    if (t.size() < 2 || t[0] != '-' || t[1] == '-') continue;
    const char op = t[1];
    if (op == 'Q' ||
        (op == 'S' && t.find_first_of("yuw") == std::string::npos && t.find_first_of("si", 2) != std::string::npos) ||
        (op == 'F' && t.find('y') == std::string::npos))
      return Yes();
    return No(c, "pacman " + t + " changes installed packages", &w);
  }
  return No(c, "pacman changes installed packages");
}

ProfileVerdict Interpreter(const SimpleCommand& c) {
  const auto& a = c.args;
  // perl/ruby -i edits the files named after the code in place, wherever the
  // option stands: `perl -p -e CODE -i FILE` as much as `perl -pi -e CODE FILE`.
  if (c.name == "perl" || c.name == "ruby")
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string& t = a[i].text;
      if (t == "--") break;
      if (t == "-e" || t == "-E") {
        ++i;  // the code itself
        continue;
      }
      if (t.size() >= 2 && t[0] == '-' && t[1] != '-' && t.find('i') != std::string::npos && !a[i].dynamic)
        return No(c, c.name + " " + t + " edits the files it is given in place", &a[i]);
    }
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string& t = a[i].text;
    if (t == "--version" || t == "-V" || t == "-v" || t == "--help" || t == "-h") {
      if (a.size() == 1) return Yes();
      continue;
    }
    // perl -ne/-le/-pe CODE FILE…: line loops that print; -i would edit files.
    const bool cluster_e = (c.name == "perl" || c.name == "ruby") && t.size() > 2 && t[0] == '-' && t[1] != '-' &&
                           t.back() == 'e' && t.find('i') == std::string::npos && t.find('M') == std::string::npos;
    if ((t == "-c" || t == "-e" || t == "-p" || t == "--eval" || t == "--print" || cluster_e) && i + 1 < a.size()) {
      if (a[i + 1].dynamic) return No(c, "the " + c.name + " code is only known at run time", &a[i + 1]);
      if (IsHarmlessInlineCode(c.name, a[i + 1].text)) return Yes();
      return No(c, c.name + " code that can reach files, programs or the network", &a[i + 1]);
    }
    if (t == "-m" && i + 1 < a.size() && a[i + 1].text == "json.tool") return Yes();
    if (t == "-I" || t == "-S" || t == "-E" || t == "-B" || t == "-u" || t == "-q" || t == "-s" || t == "-O" ||
        t == "-OO")
      continue;
    break;
  }
  return No(c, "runs " + c.name + " code cmdai cannot see");
}

ProfileVerdict Wget(const SimpleCommand& c) {
  bool to_stdout = false;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const std::string& t = c.args[i].text;
    if (t == "-O-" || t == "-qO-" || t == "--output-document=-" || t == "-O/dev/stdout" || t == "--spider" ||
        ((t == "-O" || t == "-qO" || t == "--output-document") && i + 1 < c.args.size() && c.args[i + 1].text == "-"))
      to_stdout = true;
    // -e/--execute runs a wgetrc command (output_document=, post_file=);
    // --config reads a whole wgetrc. GNU abbreviations count (--exec=).
    std::string which;
    if (IsOption(c.args[i]) &&
        UsesOption("--post-data --post-file --body-data --body-file --method -o --output-file -a --append-output -P "
                   "--directory-prefix -r --recursive -m --mirror --save-cookies --warc-file -x --force-directories "
                   "-e --execute --config --use-askpass -i --input-file --input-metalink --save-headers "
                   "--rejected-log --hsts-file -b --background",
                   "-O -U -T -t -w -Q -l -A -R -D -X -I --output-document --header --user-agent", t, false, &which,
                   true))
      return No(c, "wget " + t + " writes, sends data or runs wgetrc commands", &c.args[i]);
  }
  return to_stdout ? Yes() : No(c, "wget saves what it downloads to a file");
}

// curl: the profile's `writes` list has the options that write files or send
// data. Here: values that read a local file (or the environment) into the
// request (-H @FILE, --url-query @FILE, --variable NAME@FILE / %ENV), -w
// formats that write (%output{FILE}) or come from a file (@FILE), and URLs
// whose scheme sends or executes (telnet, gopher, dict, smtp, …): anything
// but a fetch.
ProfileVerdict Curl(const SimpleCommand& c) {
  // @FILE; with name_first also NAME@FILE, +@FILE and (--variable) %ENV.
  auto reads_file = [](std::string_view v, bool name_first) {
    if (name_first && !v.empty() && (v[0] == '+' || v[0] == '%')) return true;
    if (v.empty() || v[0] == '@') return !v.empty();
    if (!name_first) return false;
    const size_t at = v.find('@'), eq = v.find('=');
    return at != std::string_view::npos && (eq == std::string_view::npos || at < eq);  // name@file
  };
  auto bad_url = [](std::string_view u) {
    const size_t sep = u.find("://");
    if (sep == std::string_view::npos) return false;  // no scheme: http
    std::string scheme(u.substr(0, sep));
    for (char& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return !InList("http https ftp ftps sftp scp file tftp", scheme);
  };
  auto value_of = [&](size_t& i, std::string& v) {
    const std::string& t = c.args[i].text;
    if (t.rfind("--", 0) == 0 && t.find('=') != std::string::npos) return v = t.substr(t.find('=') + 1), true;
    if (t.rfind("--", 0) != 0 && t.size() > 2) return v = t.substr(2), true;  // -H@file
    if (i + 1 >= c.args.size()) return false;
    v = c.args[++i].text;
    return true;
  };
  bool after_dashes = false;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const Word& w = c.args[i];
    const std::string& t = w.text;
    if (t == "--") {
      after_dashes = true;
      continue;
    }
    if (after_dashes || !IsOption(w)) {
      if (bad_url(t)) return No(c, "curl " + t + ": this scheme sends data or commands, not only fetches", &w);
      continue;
    }
    std::string which, v;
    const bool is_long = t.rfind("--", 0) == 0;
    auto long_is = [&](std::string_view full) {
      const std::string name = t.substr(0, t.find('='));
      return is_long && name.size() >= 3 && full.starts_with(name);
    };
    const bool short_one = !is_long && t.size() >= 2;
    const char s = short_one ? t[1] : 0;
    const std::string name = t.substr(0, t.find('='));
    if (name == "--url") {
      if (value_of(i, v) && bad_url(v))
        return No(c, "curl " + v + ": this scheme sends data or commands, not only fetches", &c.args[i]);
    } else if ((short_one && s == 'H') || long_is("--header") || long_is("--proxy-header")) {
      if (value_of(i, v) && reads_file(v, false))
        return No(c, "curl " + t + " @FILE sends a local file's lines as headers", &c.args[i]);
    } else if (long_is("--url-query") || long_is("--variable")) {
      if (value_of(i, v) && (reads_file(v, true) || c.args[i].dynamic))
        return No(c, "curl " + t + " puts a local file or the environment into the request", &c.args[i]);
    } else if ((short_one && s == 'w') || long_is("--write-out")) {
      if (value_of(i, v) && (v.find("%output") != std::string::npos || reads_file(v, false) || c.args[i].dynamic))
        return No(c, "curl -w %output{FILE} writes a file", &c.args[i]);
    } else if (!is_long) {
      // a short cluster whose last letter takes the next word: -sH @f, -sw fmt
      const char last = t.back();
      if ((last == 'H' || last == 'w') && t.size() > 2 && i + 1 < c.args.size()) {
        const std::string& nv = c.args[i + 1].text;
        if (reads_file(nv, false) || (last == 'w' && nv.find("%output") != std::string::npos))
          return No(c, "curl " + t + " " + nv + " reads or writes a local file", &c.args[i + 1]);
      }
    }
  }
  return Yes();
}

ProfileVerdict Tmux(const SimpleCommand& c) {
  for (const auto& w : c.args)
    if (w.dynamic || w.text.find("#(") != std::string::npos)
      return No(c, "tmux formats with #(…) run a shell command", &w);
  return Yes();
}

ProfileVerdict Ip(const SimpleCommand& c) {
  std::vector<const Word*> pos;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const std::string& t = c.args[i].text;
    if (t == "-n" || t == "-netns" || t == "-f" || t == "-family" || t == "-l" || t == "-loops" || t == "-rc" ||
        t == "-rcvbuf") {
      ++i;
      continue;
    }
    if (t == "-b" || t == "-ba" || t == "-bat" || t == "-batch" || t == "-force")
      return No(c, "ip -batch runs commands from a file", &c.args[i]);
    if (t.size() > 1 && t[0] == '-') continue;
    pos.push_back(&c.args[i]);
  }
  if (pos.size() <= 1) return Yes();  // `ip a`, `ip route`: the object's default is to show
  const std::string& verb = pos[1]->text;
  for (const char* v : {"show", "list", "lst", "sh", "ls", "l", "get", "help", "monitor"})
    if (verb == v) return Yes();
  return No(c, "ip " + pos[0]->text + " " + verb + " changes network settings", pos[1]);
}

// --- inline code -------------------------------------------------------------

enum class CodeScan { kDone, kOpenLiteral, kRefused };

// Walks inline code the way IsHarmlessInlineCode reads every language: a
// character of `quotes` opens a literal that the same character closes (a
// backslash escapes the next one), and a literal is only data. Outside them
// it calls `on_word(id, at)` for each identifier ([A-Za-z_][A-Za-z0-9_]*) and
// `on_other(ch, at)` for every other character, opening quotes included;
// either one stops the walk by returning false. Each language keeps its own
// table of words in its callback.
template <class OnWord, class OnOther>
CodeScan ScanCode(std::string_view code, std::string_view quotes, OnWord on_word, OnOther on_other) {
  auto word_char = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  char quote = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const char ch = code[i];
    if (quote) {
      if (ch == '\\')
        ++i;
      else if (ch == quote)
        quote = 0;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_') {
      size_t j = i;
      while (j < code.size() && word_char(code[j])) ++j;
      if (!on_word(code.substr(i, j - i), i)) return CodeScan::kRefused;
      i = j - 1;
      continue;
    }
    if (!on_other(ch, i)) return CodeScan::kRefused;
    if (ch != 0 && quotes.find(ch) != std::string_view::npos) quote = ch;
  }
  return quote ? CodeScan::kOpenLiteral : CodeScan::kDone;
}

}  // namespace

bool OnlyAsksForHelp(const SimpleCommand& c) {
  if (c.args.empty() || c.name_word.dynamic) return false;
  // -v/-V/-version alone: the version, for tools where that is what it means.
  if (c.args.size() == 1 && (c.args[0].text == "-v" || c.args[0].text == "-V" || c.args[0].text == "-version")) {
    static const char* kVersionTools[] = {"node",    "nodejs", "ruby",      "perl",    "php",  "python", "python3",
                                          "python2", "npm",    "pnpm",      "yarn",    "bun",  "deno",   "cargo",
                                          "rustc",   "go",     "java",      "javac",   "pip",  "pip3",   "gcc",
                                          "g++",     "clang",  "clang++",   "git",     "lua",  "tmux",   "ssh",
                                          "docker",  "helm",   "terraform", "kubectl", "make", "cmake"};
    for (const char* t : kVersionTools)
      if (c.name == t) return true;
  }
  const std::string& last = c.args.back().text;
  if (last != "--help" && last != "--version") return false;
  if (c.args.size() == 1) return true;
  // `git push --help`, `docker run --help`: a subcommand word, then the question.
  if (c.args.size() == 2) {
    const std::string& sub = c.args[0].text;
    return !c.args[0].dynamic && !sub.empty() && std::all_of(sub.begin(), sub.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
    }) && sub[0] != '-';
  }
  return false;
}

bool IsHarmlessInlineCode(std::string_view interpreter, std::string_view code) {
  if (code.size() > 4096) return false;
  const bool python = interpreter.rfind("python", 0) == 0 || interpreter.rfind("pypy", 0) == 0;
  const bool node = interpreter == "node" || interpreter == "nodejs";
  if (!python && !node && interpreter != "ruby" && interpreter != "perl") return false;
  // Identifiers that reach files, processes, the network or reflection.
  const bool ruby = interpreter == "ruby";
  const bool perl = interpreter == "perl";
  if (ruby || perl) {
    // Allow-list: words that print, compute and control flow, nothing else
    // (a module, a call or a sigil trick that is not listed makes it unsafe).
    static const char* kAllow[] = {
        "print",      "puts",      "printf",    "say",     "p",       "pp",     "length",  "join",     "split",
        "map",        "grep",      "sort",      "reverse", "uc",      "lc",     "ucfirst", "lcfirst",  "abs",
        "int",        "sqrt",      "if",        "unless",  "else",    "elsif",  "for",     "foreach",  "while",
        "until",      "my",        "our",       "return",  "and",     "or",     "not",     "defined",  "scalar",
        "keys",       "values",    "each",      "exists",  "chomp",   "chop",   "substr",  "index",    "sprintf",
        "time",       "localtime", "gmtime",    "eq",      "ne",      "lt",     "gt",      "le",       "ge",
        "cmp",        "x",         "m",         "s",       "tr",      "y",      "qw",      "last",     "next",
        "BEGIN",      "END",       "warn",      "to_s",    "to_i",    "to_f",   "upcase",  "downcase", "capitalize",
        "strip",      "chars",     "each_line", "times",   "upto",    "select", "reject",  "reduce",   "inject",
        "sum",        "min",       "max",       "size",    "count",   "first",  "uniq",    "sort_by",  "include",
        "start_with", "end_with",  "then",      "do",      "end",     "true",   "false",   "nil",      "Math",
        "PI",         "Time",      "now",       "year",    "Integer", "Float",  "String",  "Array",    "Hash",
        "inspect",    "format",    "round",     "floor",   "ceil",    "ARGV",   "F",       "_",        "n",
        "t",          "e",         "i",         "j",       "k",       "a",      "b",       "c",        "d",
        "l",          "r",         "v",         "w",       "z",       "lines",  "hex",     "oct",      "ord",
        "chr",        "lc",        "sprintf",   "local"};
    if (code.find('`') != std::string_view::npos || code.find("%x") != std::string_view::npos ||
        code.find('<') != std::string_view::npos || code.find('>') != std::string_view::npos ||
        code.find('&') != std::string_view::npos || code.find("__") != std::string_view::npos ||
        code.find("#{") != std::string_view::npos || code.find("@{") != std::string_view::npos ||
        code.find("::") != std::string_view::npos)
      return false;
    // Literals are data ("…", '…', a regex /…/); no interpolation of calls:
    // `#{`/`@{` are refused above. A variable's name (after $, @ or %) is data too.
    return ScanCode(
               code, "\"'/",
               [&](std::string_view id, size_t at) {
                 if (at > 0 && (code[at - 1] == '$' || code[at - 1] == '@' || code[at - 1] == '%')) return true;
                 for (const char* good : kAllow)
                   if (id == good) return true;
                 return false;
               },
               [](char, size_t) { return true; }) != CodeScan::kRefused;
  }
  static const char* kPython[] = {"import",  "exec",   "eval", "compile", "input",   "breakpoint", "help",
                                  "globals", "locals", "vars", "getattr", "setattr", "delattr",    "memoryview",
                                  "exit",    "quit",   "os",   "sys",     "__"};
  static const char* kNode[] = {"require",   "import",      "global",        "globalThis",  "eval",
                                "Function",  "constructor", "module",        "Reflect",     "Deno",
                                "Bun",       "fetch",       "child_process", "fs",          "this",
                                "prototype", "__proto__",   "setTimeout",    "setInterval", "WebAssembly"};
  // Python: `import math` and friends compute only; allow them explicitly.
  std::string text(code);
  // Reading attributes that only describe the process (sys.version,
  // os.getcwd(), process.version) is harmless; the modules themselves are not.
  auto allow_attrs = [&](const std::string& module, std::initializer_list<const char*> attrs) {
    for (const char* a : attrs) {
      const std::string dotted = module + "." + a;
      for (size_t p; (p = text.find(dotted)) != std::string::npos;) {
        const size_t end = p + dotted.size();
        if (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) break;
        text.replace(p, dotted.size(), " 0 ");
      }
    }
  };
  if (python) {
    allow_attrs("sys", {"version", "version_info", "platform", "maxsize", "byteorder", "executable", "argv",
                        "getrecursionlimit", "float_info", "implementation"});
    allow_attrs("os", {"getcwd", "getpid", "getuid", "getgid", "cpu_count", "sep", "linesep", "name", "getlogin"});
    for (const char* m : {"import sys", "import os"})
      for (size_t p; (p = text.find(m)) != std::string::npos;) text.replace(p, std::string(m).size(), " ");
    // open(PATH) reads; any mode argument (open(p, "w")) is not allowed here.
    for (size_t p = text.find("open("); p != std::string::npos; p = text.find("open(", p + 1)) {
      const size_t close = text.find(')', p);
      if (close == std::string::npos || text.substr(p, close - p).find(',') != std::string::npos) return false;
      text.replace(p, 4, "    ");
    }
  } else {
    allow_attrs("process", {"version", "versions", "platform", "arch", "pid", "argv", "uptime", "cwd", "memoryUsage",
                            "hrtime", "release"});
  }
  if (python) {
    for (const char* mod : {"math", "json", "datetime", "random", "string", "re", "itertools", "functools",
                            "collections", "statistics", "decimal", "fractions", "textwrap", "calendar", "time"}) {
      for (const std::string& stmt : {std::string("import ") + mod, std::string("from ") + mod + " import"}) {
        size_t p;
        while ((p = text.find(stmt)) != std::string::npos) {
          const size_t end = p + stmt.size();
          if (end < text.size() &&
              (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' || text[end] == '.'))
            break;
          text.replace(p, stmt.size(), " ");
        }
      }
    }
  }
  // Identifiers outside string literals; an unclosed literal is refused.
  const std::span<const char*> denied = python ? std::span<const char*>(kPython) : std::span<const char*>(kNode);
  return ScanCode(
             text, node ? "\"'`" : "\"'",
             [&](std::string_view id, size_t) {
               if (id.find("__") != std::string_view::npos) return false;
               for (const char* bad : denied)
                 if (id == bad) return false;
               return true;
             },
             [&](char ch, size_t at) {
               if (node && ch == '`' && text.find("${", at) != std::string::npos) return false;  // template code
               return !(python && ch == '@');                                                    // decorators
             }) == CodeScan::kDone;
}

ProfileVerdict MatchReadOnlyProfile(const SimpleCommand& c) {
  static const std::unordered_map<std::string_view, const Profile*> index = [] {
    std::unordered_map<std::string_view, const Profile*> m;
    for (const Profile& p : kProfiles)
      for (auto n : ListWords(p.names)) m.emplace(n, &p);
    return m;
  }();
  if (c.name.empty() || c.name_word.dynamic) return {};
  if (OnlyAsksForHelp(c)) return Yes();
  std::string name = c.name;
  if (name.rfind("python3.", 0) == 0 || name.rfind("python2.", 0) == 0) name = "python3";
  auto it = index.find(name);
  if (it == index.end()) {
    ProfileVerdict v;
    auto e = KnownEffects().find(name);
    v.known = e != KnownEffects().end();
    v.reason = v.known ? "'" + c.name + "' " + std::string(e->second)
                       : "'" + c.name + "': effect not known, so cmdai cannot tell that it only reads";
    v.start = c.name_word.start;
    v.end = c.name_word.end;
    return v;
  }
  const Profile& p = *it->second;

  // Environment settings that make a reader run a program, read a key or
  // configuration file, or talk to another host (fnmatch patterns).
  static const std::pair<std::string_view, std::string_view> kEnvRuns[] = {
      {"*", "PAGER *_PAGER *PAGER LESSOPEN LESSCLOSE LESSKEY* LESSEDIT LESS"},
      {"man", "MANOPT MANPATH BROWSER HTMLPAGER MANROFFOPT MAN_DISABLE_SECCOMP"},
      {"docker podman nerdctl", "DOCKER_HOST DOCKER_CONFIG DOCKER_CONTEXT CONTAINER_HOST CONTAINER_CONNECTION"},
      {"kubectl oc helm", "KUBECONFIG HELM_POST_RENDERER HELM_KUBEAPISERVER HELM_KUBECONFIG"},
      {"curl", "CURL_HOME"},
      {"wget", "WGETRC"},
  };
  for (const std::string& kv : c.assignments) {
    const std::string var = kv.substr(0, kv.find('='));
    const std::string val = kv.find('=') == std::string::npos ? "" : kv.substr(kv.find('=') + 1);
    for (const auto& [names, vars] : kEnvRuns) {
      if (names != "*" && !InList(names, name)) continue;
      bool hit = false;
      for (auto pattern : ListWords(vars)) hit |= Glob(pattern, var);
      if (!hit) continue;
      // PAGER=cat, LESS=-R: plain pagers and display flags stay read-only.
      const auto words = ListWords(val);
      bool plain = val.find_first_of(";|&$`()<>\\'\"") == std::string::npos;
      for (auto word : words)
        plain &= InList("cat less more -R -S -F -X -r -i -M -N -FRX -FRSX -RS -SR -FR -RF -+F", word);
      if (!plain || (var.rfind("LESS", 0) == 0 && var != "LESS"))
        return No(c, var + " makes " + c.name + " run a program or read another configuration");
    }
  }

  // Options: nothing that writes; all of `only`; one of `needs`.
  bool needed = p.needs.empty();
  bool after_dashes = false;
  for (size_t i = 0; i < c.args.size(); ++i) {
    const Word& w = c.args[i];
    if (w.text == "--") {
      after_dashes = true;
      continue;
    }
    if (after_dashes || !IsOption(w)) continue;
    std::string which;
    const bool to_null = i + 1 < c.args.size() && (c.args[i + 1].text == "/dev/null" || c.args[i + 1].text == "-");
    if (UsesOption(p.writes, p.values, w.text, p.single_dash_long, &which, true) &&
        !(to_null && (which == "-o" || which == "--output")))
      return No(c, c.name + " " + which + " writes, deletes or runs something", &w);
    if (!p.only.empty() && !InList(p.only, w.text.substr(0, w.text.find('='))) &&
        !(p.single_dash_long && UsesOption(p.only, "", w.text, true, &which)))
      return No(c, c.name + " " + w.text + " is not known to only read", &w);
    if (!needed && (UsesOption(p.needs, p.values, w.text, p.single_dash_long, &which) ||
                    InList(p.needs, w.text.substr(0, w.text.find('=')))))
      needed = true;
    if (InList(p.values, w.text) && !p.single_dash_long) ++i;
  }
  if (!needed) return No(c, c.name + " is read-only only with " + std::string(ListWords(p.needs)[0]));

  if (!p.paths.empty()) {
    const auto pos = Positionals(c, p.values);
    if (!MatchPaths(p.paths, pos)) {
      std::string shown = c.name;
      for (size_t k = 0; k < pos.size() && k < 2; ++k) shown += " " + pos[k]->text;
      return No(c, shown + " is not a subcommand known to only read", pos.empty() ? nullptr : pos[0]);
    }
  }
  if (p.max_operands >= 0) {
    const auto pos = Positionals(c, p.values);
    if (static_cast<int>(pos.size()) > p.max_operands)
      return No(c, c.name + " with the operand " + pos[p.max_operands]->text + " changes something",
                pos[p.max_operands]);
  }

  switch (p.check) {
    case Check::kNone: return Yes();
    case Check::kFind: return Find(c);
    case Check::kGit: return Git(c);
    case Check::kTar: return Tar(c);
    case Check::kRpm: return Rpm(c);
    case Check::kPacman: return Pacman(c);
    case Check::kInterpreter: return Interpreter(c);
    case Check::kWget: return Wget(c);
    case Check::kCurl: return Curl(c);
    case Check::kTmux: return Tmux(c);
    case Check::kIp: return Ip(c);
    case Check::kAwk: {
      bool program_seen = false;
      for (size_t i = 0; i < c.args.size(); ++i) {
        const Word& w = c.args[i];
        if (w.text == "-F" || w.text == "-v" || w.text == "--assign" || w.text == "--field-separator") {
          ++i;
          continue;
        }
        // -W OPTION (mawk, gawk's compatibility form): only these just print.
        if (w.text.rfind("-W", 0) == 0) {
          const std::string opt = w.text.size() > 2 ? w.text.substr(2) : i + 1 < c.args.size() ? c.args[++i].text : "";
          if (!InList("version v usage help posix traditional compat lint posix_space interactive", opt))
            return No(c, c.name + " -W " + opt + " is not known to only read", &w);
          continue;
        }
        // --source=PROG and its abbreviations (--so, --sou …).
        const std::string name = w.text.substr(0, w.text.find('='));
        const bool source = name == "-e" || (name.size() >= 3 && name.rfind("--", 0) == 0 &&
                                             std::string_view("--source").starts_with(name));
        std::string prog;
        if (source && w.text.find('=') != std::string::npos) {
          prog = w.text.substr(w.text.find('=') + 1);
        } else if (source && i + 1 < c.args.size()) {
          prog = c.args[++i].text;
          if (c.args[i].dynamic) return No(c, "the awk program is only known at run time", &c.args[i]);
        } else if (source) {
          return No(c, "cmdai cannot read this awk program", &w);
        } else if (IsOption(w)) {
          continue;
        } else if (!program_seen) {
          prog = w.text;
          program_seen = true;
          if (w.dynamic) return No(c, "the awk program is only known at run time", &w);
        } else {
          continue;
        }
        std::string why;
        if (!AwkProgramIsReadOnly(prog, &why)) return No(c, why, &w);
      }
      return Yes();
    }
    case Check::kSed: {
      bool script_given = false;
      for (size_t i = 0; i < c.args.size(); ++i) {
        const Word& w = c.args[i];
        std::string script;
        if ((w.text == "-e" || w.text == "--expression") && i + 1 < c.args.size()) {
          script = c.args[++i].text;
          script_given = true;
          if (c.args[i].dynamic) return No(c, "the sed script is only known at run time", &c.args[i]);
        } else if (w.text.rfind("--e", 0) == 0 &&
                   std::string_view("--expression").starts_with(w.text.substr(0, w.text.find('=')))) {
          // --expression and its abbreviations (--e, --exp=…).
          if (w.text.find('=') != std::string::npos) {
            script = w.text.substr(w.text.find('=') + 1);
          } else if (i + 1 < c.args.size()) {
            script = c.args[++i].text;
            if (c.args[i].dynamic) return No(c, "the sed script is only known at run time", &c.args[i]);
          }
          script_given = true;
        } else if (IsOption(w) || script_given) {
          continue;
        } else {
          script = w.text;
          script_given = true;
          if (w.dynamic) return No(c, "the sed script is only known at run time", &w);
        }
        std::string why;
        if (!SedScriptIsReadOnly(script, &why)) return No(c, why, &w);
      }
      return Yes();
    }
    case Check::kDate:
      for (const Word* w : Positionals(c, p.values))
        if (w->text.empty() || w->text[0] != '+')
          return No(c, "date with the operand " + w->text + " sets the clock", w);
      return Yes();
    case Check::kSysctl:
      for (const auto& w : c.args) {
        std::string which;
        if ((IsOption(w) && UsesOption("-w --write -p --load --system -f", "", w.text, false, &which, true)) ||
            w.text.find('=') != std::string::npos)
          return No(c, "sysctl " + w.text + " changes a kernel setting", &w);
      }
      return Yes();
    case Check::kPager:
      for (const auto& w : c.args)
        if (!w.text.empty() && w.text[0] == '+' && w.text.find_first_of("!|") != std::string::npos)
          return No(c, c.name + " " + w.text + " runs a command", &w);
      return Yes();
    case Check::kAlias:
      for (const auto& w : c.args)
        if (w.text.find('=') != std::string::npos) return No(c, "alias defines code that runs later", &w);
      return Yes();
    case Check::kTrap: {
      const auto pos = Positionals(c, "");
      if (pos.empty() || pos[0]->text == "-") return Yes();
      return No(c, "trap sets code that runs later, on a signal or at exit", pos[0]);
    }
  }
  return Yes();
}

}  // namespace cmdai::safety
