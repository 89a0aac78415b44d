#include "kbuild/dkms_conf.h"

#include <cctype>
#include <filesystem>
#include <unistd.h>

#include "core/error.h"
#include "core/fd_io.h"
#include "core/spawn.h"

extern char** environ;

namespace modforge::kbuild {

namespace fs = std::filesystem;

namespace {

// The bash side: dkms's variables, dkms.conf sourced as dkms's safe_source sources it, then
// read_conf's post-processing; prints NUL-separated records (name, value ...) on stdout and
// dkms's "dkms.conf: Error!" lines on stderr (exit 1 after them).
constexpr const char* kReadConf = R"BASH(
conf=$1
kernelver=$MF_KERNELVER arch=$MF_ARCH kernel_source_dir=$MF_KSRC kernel_config=$MF_KSRC/.config
dkms_tree=$MF_DKMS_TREE source_tree=$MF_SOURCE_TREE install_tree=/lib/modules
module=$MF_MODULE module_version=$MF_MODULE_VERSION
unset MF_KERNELVER MF_ARCH MF_KSRC MF_DKMS_TREE MF_SOURCE_TREE MF_MODULE MF_MODULE_VERSION
# dkms's dkms_conf_variables: cleared before, and the only ones taken from, each file.
mf_vars="CLEAN PACKAGE_NAME PACKAGE_VERSION POST_ADD POST_BUILD POST_INSTALL POST_REMOVE PRE_BUILD
  PRE_INSTALL BUILD_DEPENDS BUILD_EXCLUSIVE_KERNEL BUILD_EXCLUSIVE_ARCH BUILD_EXCLUSIVE_CONFIG
  build_exclude OBSOLETE_BY MAKE MAKE_MATCH PATCH PATCH_MATCH patch_array BUILT_MODULE_NAME
  built_module_name BUILT_MODULE_LOCATION built_module_location DEST_MODULE_NAME dest_module_name
  DEST_MODULE_LOCATION dest_module_location STRIP strip AUTOINSTALL NO_WEAK_MODULES
  SIGN_FILE MOK_SIGNING_KEY MOK_CERTIFICATE REMAKE_INITRD MODULES_CONF MODULES_CONF_OBSOLETES"
for mf_v in $mf_vars; do unset "$mf_v"; done
# As dkms's safe_source: a subshell sources the file (its standard output discarded) and
# writes each element as NAME[i]="value"; sourcing those lines expands a value a second time,
# as dkms does.
mf_source() {
  local mf_out
  mf_out=$(
    . "$1" >/dev/null
    for mf_v in $mf_vars; do
      eval "mf_ix=(\"\${!$mf_v[@]}\")"
      for mf_i in "${mf_ix[@]}"; do
        eval "printf '%s[%s]=\"%s\"\n' \"\$mf_v\" \"\$mf_i\" \"\${$mf_v[\$mf_i]}\""
      done
    done
  )
  eval "$mf_out"
}
for mf_f in "$conf" "/etc/dkms/$module.conf" "/etc/dkms/$module-$module_version.conf" \
    "/etc/dkms/$module-$module_version-$kernelver.conf" "/etc/dkms/$module-$module_version-$kernelver-$arch.conf"; do
  [ -e "$mf_f" ] && mf_source "$mf_f"
done

rec() { printf '%s\0' "$@"; }
err=0
fail() { echo "dkms.conf: Error! $*" >&2; err=1; }
rec PACKAGE_NAME "$PACKAGE_NAME" PACKAGE_VERSION "$PACKAGE_VERSION" AUTOINSTALL "$AUTOINSTALL"

# read_conf: the module arrays, indexed 0 .. the longest of the four
n=0
for s in ${#BUILT_MODULE_NAME[@]} ${#BUILT_MODULE_LOCATION[@]} ${#DEST_MODULE_NAME[@]} ${#DEST_MODULE_LOCATION[@]}; do
  ((s > n)) && n=$s
done
strip=()
for ((i = 0; i < n; i++)); do
  bn=${BUILT_MODULE_NAME[$i]} bl=${BUILT_MODULE_LOCATION[$i]} dn=${DEST_MODULE_NAME[$i]} dl=${DEST_MODULE_LOCATION[$i]}
  case ${STRIP[$i]} in
    [nN]*) strip[$i]=no ;;
    [yY]*) strip[$i]=yes ;;
    '') strip[$i]=${strip[0]:-yes} ;;
  esac
  [[ ! $bn ]] && ((${#DEST_MODULE_LOCATION[@]} == 1)) && bn=$PACKAGE_NAME
  [[ $dn ]] || dn=$bn
  [[ $bl && ${bl: -1} != / ]] && bl=$bl/
  [[ $bn ]] || fail "No 'BUILT_MODULE_NAME' directive specified for record #$i."
  case $bn in *.o | *.ko) fail "'BUILT_MODULE_NAME' directive ends in '.o' or '.ko' in record #$i." ;; esac
  case $dn in *.o | *.ko) fail "'DEST_MODULE_NAME' directive ends in '.o' or '.ko' in record #$i." ;; esac
  [[ $dl ]] || fail "No 'DEST_MODULE_LOCATION' directive specified for record #$i."
  case $dl in
    /kernel* | /updates* | /extra*) ;;
    *) fail "Directive 'DEST_MODULE_LOCATION' does not begin with '/kernel', '/updates', or '/extra' in record #$i." ;;
  esac
  # an unrecognised STRIP leaves strip[i] unset, which dkms treats as yes
  rec module "$bn" "$bl" "$dn" "$dl" "$([[ ${strip[$i]} == no ]] && echo no || echo yes)"
done
((n == 0)) && fail "No 'DEST_MODULE_LOCATION' directive specified."
[[ $PACKAGE_NAME ]] || fail "No 'PACKAGE_NAME' directive specified."
[[ $PACKAGE_VERSION ]] || fail "No 'PACKAGE_VERSION' directive specified."

# the MAKE line for this kernel (MAKE_MATCH against $kernelver), dkms's defaults
make_command=
[[ ${MAKE_MATCH[0]} ]] || make_command=${MAKE[0]}
for ((i = 0; i < ${#MAKE[@]}; i++)); do
  [[ ${MAKE[$i]} && ${MAKE_MATCH[$i]} && $kernelver =~ ${MAKE_MATCH[$i]} ]] && make_command=${MAKE[$i]}
done
clean=$CLEAN
[[ $make_command ]] || make_command="make -C $kernel_source_dir M=$dkms_tree/$module/$module_version/build"
[[ $clean ]] || clean="make -C $kernel_source_dir M=$dkms_tree/$module/$module_version/build clean"
# a clang- or lld-built kernel
if [[ -e $kernel_source_dir/vmlinux ]]; then
  readelf -p .comment "$kernel_source_dir/vmlinux" 2>/dev/null | grep -q clang && make_command="$make_command CC=clang"
  readelf -p .comment "$kernel_source_dir/vmlinux" 2>/dev/null | grep -q LLD && make_command="$make_command LD=ld.lld"
elif [[ -e $kernel_config ]]; then
  grep -q CONFIG_CC_IS_CLANG=y "$kernel_config" && make_command="$make_command CC=clang"
  grep -q CONFIG_LD_IS_LLD=y "$kernel_config" && make_command="$make_command LD=ld.lld"
fi
rec make_command "$make_command" clean "$clean"

exclude=
[[ $BUILD_EXCLUSIVE_KERNEL && ! $kernelver =~ $BUILD_EXCLUSIVE_KERNEL ]] &&
  exclude="BUILD_EXCLUSIVE_KERNEL=\"$BUILD_EXCLUSIVE_KERNEL\" does not match $kernelver"
[[ $BUILD_EXCLUSIVE_ARCH && ! $arch =~ $BUILD_EXCLUSIVE_ARCH ]] &&
  exclude="BUILD_EXCLUSIVE_ARCH=\"$BUILD_EXCLUSIVE_ARCH\" does not match $arch"
if [[ $BUILD_EXCLUSIVE_CONFIG && -e $kernel_source_dir/.config ]]; then
  for kconf in $BUILD_EXCLUSIVE_CONFIG; do
    case $kconf in
      !*) grep -q -E "^${kconf#!}=[ym]" "$kernel_source_dir/.config" && exclude="BUILD_EXCLUSIVE_CONFIG: ${kconf#!} is set" ;;
      *) grep -q -E "^${kconf}=[ym]" "$kernel_source_dir/.config" || exclude="BUILD_EXCLUSIVE_CONFIG: $kconf is not set" ;;
    esac
  done
fi
rec exclude "$exclude"

# what dkms runs that this command does not
for ((i = 0; i < ${#PATCH[@]}; i++)); do
  [[ ${PATCH[$i]} && (! ${PATCH_MATCH[$i]} || $kernelver =~ ${PATCH_MATCH[$i]}) ]] && rec unsupported "PATCH[$i]"
done
[[ $PRE_BUILD ]] && rec unsupported PRE_BUILD
[[ $POST_BUILD ]] && rec unsupported POST_BUILD

# actual_build exports CC from the tree's .kernelvariables (else unsets it)
cc=
if [ -f "$kernel_source_dir/.kernelvariables" ]; then
  cc=$(echo -e "show-%:\n\t@echo \$(\$*)\ninclude $kernel_source_dir/.kernelvariables" | make -f - show-CC)
fi
rec CC "$cc"
exit $err
)BASH";

std::vector<std::string> split_nul(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t z = s.find('\0', pos);
    if (z == std::string::npos) z = s.size();
    out.push_back(s.substr(pos, z - pos));
    pos = z + 1;
  }
  return out;
}

ShellResult run_read_conf(const std::string& conf, const DkmsVars& v) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view s(*e);
    if (s.starts_with("MAKEFLAGS=") || s.starts_with("MAKELEVEL=") || s.starts_with("MFLAGS=") ||
        s.starts_with("MF_"))
      continue;
    env.emplace_back(s);
  }
  env.push_back("MF_KERNELVER=" + v.kernelver);
  env.push_back("MF_ARCH=" + v.arch);
  env.push_back("MF_KSRC=" + v.kernel_source_dir);
  env.push_back("MF_DKMS_TREE=" + v.dkms_tree);
  env.push_back("MF_SOURCE_TREE=" + v.source_tree);
  env.push_back("MF_MODULE=" + v.module);
  env.push_back("MF_MODULE_VERSION=" + v.module_version);
  // dkms sources the file from wherever it was started; its source directory is as good.
  std::string cwd = fs::path(conf).parent_path().string();
  return run_program({"bash", "-c", kReadConf, "modforge-dkms-conf", conf}, cwd, &env, true, true);
}

}  // namespace

DkmsConf read_dkms_conf(const std::string& conf, DkmsVars vars) {
  if (access(conf.c_str(), R_OK) != 0) throw Error(conf + ": cannot read the package's dkms.conf");
  DkmsConf c;
  for (int pass = 0; pass < 2; ++pass) {
    ShellResult r = run_read_conf(conf, vars);
    auto recs = split_nul(r.out);
    c = DkmsConf{};
    std::vector<std::string> unsupported;
    for (size_t i = 0; i + 1 < recs.size();) {
      const std::string& k = recs[i];
      if (k == "module" && i + 5 < recs.size()) {
        c.modules.push_back({recs[i + 1], recs[i + 2], recs[i + 3], recs[i + 4], recs[i + 5] != "no"});
        i += 6;
        continue;
      }
      const std::string& val = recs[i + 1];
      if (k == "PACKAGE_NAME") c.package_name = val;
      else if (k == "PACKAGE_VERSION") c.package_version = val;
      else if (k == "AUTOINSTALL") c.autoinstall = val;
      else if (k == "make_command") c.make_command = val;
      else if (k == "clean") c.clean = val;
      else if (k == "exclude") c.exclude = val;
      else if (k == "CC") c.cc = val;
      else if (k == "unsupported") unsupported.push_back(val);
      i += 2;
    }
    if (pass == 0) {
      // dkms's $module and $module_version: what the package calls itself.
      vars.module = c.package_name;
      vars.module_version = c.package_version;
      continue;
    }
    if (r.status != 0)
      throw Error(r.err + conf + ": dkms would refuse this dkms.conf for " + vars.kernelver + " (bash exit " +
                  std::to_string(r.status) + ")");
    if (!r.err.empty()) write_all(2, r.err);
    if (!unsupported.empty()) {
      std::string list;
      for (auto& u : unsupported) list += (list.empty() ? "" : ", ") + u;
      throw Error(conf + ": " + list + ": dkms would run this; modforge dkms does not");
    }
  }
  return c;
}

std::string dkms_make_line(const std::string& make_command, int jobs, const std::string& kernelver) {
  // bash's ${make_command/#make/...}: only a line that starts with "make"
  if (!make_command.starts_with("make")) return make_command;
  return "make -j" + std::to_string(jobs) + " KERNELRELEASE=" + kernelver + make_command.substr(4);
}

DirectMakeResult direct_make(const std::string& line, const std::string& tree_objtree) {
  DirectMakeResult r;
  // Only words of characters the shell takes literally: anything else (quotes, $, ;, |, &,
  // redirections, globs, ~, #) is shell syntax, which bash must see.
  for (char ch : line) {
    bool plain = std::isalnum(static_cast<unsigned char>(ch)) || std::string_view("_./=+,:@%^-").find(ch) !=
                                                                     std::string_view::npos;
    if (!plain && ch != ' ' && ch != '\t') {
      r.why = std::string("shell syntax '") + ch + "'";
      return r;
    }
  }
  std::vector<std::string> words;
  for (size_t i = 0; i < line.size();) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) words.push_back(line.substr(i, j - i));
    i = j;
  }
  if (words.empty() || words[0] != "make") {
    r.why = "not a make command";
    return r;
  }
  std::string dir, m;
  auto digits = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "-C" && i + 1 < words.size()) dir = words[++i];
    else if (w.starts_with("--directory=")) dir = w.substr(12);
    else if (w.starts_with("-C")) dir = w.substr(2);
    else if (w == "-j" || w == "--jobs") { if (i + 1 < words.size() && digits(words[i + 1])) ++i; }
    else if ((w.starts_with("-j") && digits(w.substr(2))) || w.starts_with("--jobs=")) {}
    else if (w == "-s" || w == "--silent" || w == "--quiet" || w == "--no-print-directory") {}
    else if (w[0] == '-') { r.why = "make option " + w; return r; }
    else if (w.find('=') != std::string::npos && w[0] != '=') {
      if (w.starts_with("M=")) m = w.substr(2);
      else r.make.vars.push_back(w);
    } else if (w != "modules") { r.why = "make target " + w; return r; }
  }
  if (dir.empty()) { r.why = "no -C"; return r; }
  std::error_code ec;
  if (fs::canonical(dir, ec) != fs::path(tree_objtree)) { r.why = "-C " + dir + " is not the kernel tree"; return r; }
  if (m.empty() || m[0] != '/') { r.why = m.empty() ? "no M=" : "M=" + m + " is relative"; return r; }
  r.make.module_dir = fs::path(m).lexically_normal().string();
  if (r.make.module_dir.size() > 1 && r.make.module_dir.back() == '/') r.make.module_dir.pop_back();
  r.ok = true;
  return r;
}

}  // namespace modforge::kbuild
