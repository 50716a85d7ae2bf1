// SPDX-License-Identifier: MIT
// Rules for disks: dd, mkfs, wipefs, partitioning, secure erase, volumes.
#include <algorithm>

#include "safety/read_only_profiles.h"
#include "safety/rule_util.h"

namespace cmdai::safety::detail {
namespace {

bool AnyDevice(const SimpleCommand& c, const Word** which) {
  for (const auto& w : c.args) {
    PathClass p = ClassifyPath(w.text, w.dynamic, c.cwd);
    if (p.kind == PathKind::kBlockDevice || (w.text.rfind("/dev/", 0) == 0 && p.kind != PathKind::kHarmlessDevice)) {
      if (which) *which = &w;
      return true;
    }
  }
  return false;
}

bool Listing(const SimpleCommand& c) {
  return HasFlag(c, 'l', "--list") || HasArg(c, "--dump") || HasArg(c, "-d") || HasArg(c, "print") ||
         HasArg(c, "--print") || HasArg(c, "-p") || HasArg(c, "--version") || HasArg(c, "-V") || HasArg(c, "--help");
}

// Writing a whole disk or formatting a partition: a typed confirmation when
// the system says the device exists and holds nothing mounted; critical when
// it holds a mounted file system (or /), or when that cannot be told.
void WholeDevice(RuleInput& in, const std::string& rule, const std::string& path, const Word& w,
                 const std::string& verb) {
  std::string name = path.substr(path.rfind('/') + 1);
  const bool plain = path.rfind("/dev/", 0) == 0 && path.find('/', 5) == std::string::npos;
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  if (plain && in.disks && has(in.disks->present, name)) {
    if (has(in.disks->in_use, name)) {
      Add(in, rule, Risk::kCritical, verb + " " + path + ", which holds a mounted file system of this machine", w.start,
          w.end);
      return;
    }
    Add(in, rule, Risk::kHigh,
        verb + " " + path + " (nothing on it is mounted here): everything on that device is lost; check the name",
        w.start, w.end);
    return;
  }
  Add(in, rule, Risk::kCritical,
      verb + " " + path + (in.disks ? ", a device this machine does not list" : "") +
          ", destroying its partitions and data",
      w.start, w.end);
}

}  // namespace

void DiskRules(RuleInput& in) {
  const SimpleCommand& c = in.cmd;
  const std::string& n = c.name;
  const Word* dev = nullptr;
  if (n == "dcfldd" || n == "ddrescue" || n == "dc3dd") {  // dd's cousins: of= or the second operand
    for (const auto& w : c.args) {
      const std::string target = w.text.rfind("of=", 0) == 0 ? w.text.substr(3) : w.text;
      if (target.rfind("/dev/", 0) == 0 && ClassifyPath(target, w.dynamic, c.cwd).kind == PathKind::kBlockDevice &&
          (w.text.rfind("of=", 0) == 0 || n == "ddrescue") && &w != &c.args.front()) {
        WholeDevice(in, "disk.dd-device", target, w, n + " writes straight onto the disk device");
        return;
      }
    }
  }
  if ((n == "btrfs" && HasArg(c, "delete")) || (n == "zfs" && HasArg(c, "destroy")) ||
      (n == "diskutil" && (HasArg(c, "deleteContainer") || HasArg(c, "deleteVolume") || HasArg(c, "zeroDisk") ||
                           HasArg(c, "randomDisk") || HasArg(c, "secureErase") || HasArg(c, "reformat")))) {
    Add(in, "disk.erase", Risk::kCritical, n + " destroys a volume or disk and everything on it");
    return;
  }
  if (n == "dd") {
    for (const auto& w : c.args) {
      if (w.text.rfind("of=", 0) != 0) continue;
      PathClass p = ClassifyPath(w.text.substr(3), w.dynamic, c.cwd);
      if (p.kind == PathKind::kBlockDevice)
        WholeDevice(in, "disk.dd-device", w.text.substr(3), w, "dd writes straight onto the disk device");
      else if (p.kind == PathKind::kCriticalFile)
        Add(in, "system.critical-file", Risk::kCritical, "dd overwrites the system file " + p.shown, w.start, w.end);
      else if (p.kind == PathKind::kHarmlessDevice)
        continue;
      else if (p.kind != PathKind::kOrdinary)
        Add(in, "write.system", Risk::kHigh, "dd overwrites " + p.shown, w.start, w.end);
      else
        Add(in, "write.file", Risk::kModerate, "dd overwrites " + p.shown, w.start, w.end);
      return;
    }
    return;
  }
  if (n.rfind("mkfs", 0) == 0 || n == "mke2fs" || n == "mkswap" || n == "mkdosfs" || n == "mkntfs" || n == "newfs" ||
      n == "mkfs.btrfs" || n == "mkexfatfs") {
    if (AnyDevice(c, &dev))
      WholeDevice(in, "disk.format", dev->text, *dev, "formats");
    else
      Add(in, "disk.format", Risk::kHigh, "creates a new file system, erasing what the target held");
    return;
  }
  if (n == "wipefs") {
    if (HasFlag(c, 'a', "--all") || HasFlag(c, 'o', "--offset") || HasArg(c, "--force"))
      Add(in, "disk.wipe", Risk::kCritical, "erases file-system signatures, making the disk's data unreachable");
    else
      Add(in, "disk.inspect", Risk::kModerate, "inspects disk signatures");
    return;
  }
  if (n == "fdisk" || n == "gdisk" || n == "cfdisk" || n == "sfdisk" || n == "parted" || n == "sgdisk" ||
      n == "cgdisk" || n == "diskutil" || n == "gpart") {
    if (n == "diskutil" && !HasArg(c, "eraseDisk") && !HasArg(c, "eraseVolume") && !HasArg(c, "partitionDisk") &&
        !HasArg(c, "zeroDisk") && !HasArg(c, "randomDisk") && !HasArg(c, "secureErase"))
      return;
    if (Listing(c) && n != "sgdisk")
      Add(in, "disk.inspect", Risk::kSafe, "lists partitions");
    else
      Add(in, "disk.partition", Risk::kCritical,
          "changes the partition table, which can make every file on the disk unreachable");
    return;
  }
  if (n == "blkdiscard" || n == "badblocks" || n == "flashrom" || n == "nvme" || n == "hdparm" || n == "cryptsetup" ||
      n == "mdadm" || n == "zpool" || n == "zfs" || n == "lvremove" || n == "vgremove" || n == "pvremove" ||
      n == "lvreduce") {
    bool destructive = n == "blkdiscard" || n == "lvremove" || n == "vgremove" || n == "pvremove" || n == "lvreduce";
    if (n == "badblocks") destructive = HasFlag(c, 'w');
    if (n == "flashrom") destructive = HasFlag(c, 'w', "--write") || HasFlag(c, 'E', "--erase");
    if (n == "nvme") destructive = HasArg(c, "format") || HasArg(c, "sanitize");
    if (n == "hdparm")
      for (const auto& w : c.args)
        destructive |= w.text.find("--security-erase") == 0 || w.text == "--trim-sector-ranges";
    if (n == "cryptsetup") destructive = HasArg(c, "luksFormat") || HasArg(c, "erase") || HasArg(c, "luksErase");
    if (n == "mdadm") destructive = HasArg(c, "--zero-superblock") || HasArg(c, "--create") || HasFlag(c, 'C');
    if (n == "zpool") destructive = HasArg(c, "destroy") || HasArg(c, "labelclear");
    if (n == "zfs") destructive = HasArg(c, "destroy") || HasArg(c, "rollback");
    if (destructive)
      Add(in, "disk.erase", n == "lvremove" || n == "zfs" ? Risk::kHigh : Risk::kCritical,
          n + " destroys data on a disk or volume");
    else
      Add(in, "disk.inspect", Risk::kModerate, n + " works on disks directly");
    return;
  }
  if (n == "umount" && (HasFlag(c, 'f', "--force") || HasFlag(c, 'l', "--lazy") || HasFlag(c, 'a', "--all"))) {
    Add(in, "system.unmount-forced", Risk::kHigh,
        "unmounts " + std::string(HasFlag(c, 'a', "--all") ? "every file system" : "by force") +
            ", which can lose data that programs are still writing");
    return;
  }
  if (n == "mount" || n == "umount" || n == "swapoff" || n == "swapon") {
    if (!c.args.empty() && !MatchReadOnlyProfile(c).read_only)
      Add(in, "system.mount", Risk::kModerate, n + " changes what is mounted");
    return;
  }
}

}  // namespace cmdai::safety::detail
