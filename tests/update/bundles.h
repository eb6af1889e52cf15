// Release bundles for tests: a usr/ tree whose usr/bin/iotawatt prints its version, packed
// with tar (.tar.gz) or dpkg-deb (.deb), as `iotawatt release sign` publishes them.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace iw::testing {

enum class BundleKind { kTarGz, kDeb, kNoBinary };

// Writes iotawatt_<version>_<arch>.<ext> into `dir` and returns its path ("" when packing failed).
inline std::string make_bundle(const std::string& dir, const std::string& version, BundleKind kind = BundleKind::kTarGz,
                               const std::string& arch = "amd64") {
  namespace fs = std::filesystem;
  const std::string tree = dir + "/tree-" + version + "-" + std::to_string(static_cast<int>(kind));
  fs::remove_all(tree);
  fs::create_directories(tree + "/usr/bin");
  fs::create_directories(tree + "/usr/share/iotawatt/web");
  std::ofstream(tree + "/usr/share/iotawatt/web/index.html") << "<html>" << version;
  if (kind != BundleKind::kNoBinary) {
    std::ofstream(tree + "/usr/bin/iotawatt") << "#!/bin/sh\necho " << version << "\n";
    fs::permissions(tree + "/usr/bin/iotawatt", fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  }
  const std::string out = dir + "/iotawatt_" + version + "_" + arch + (kind == BundleKind::kDeb ? ".deb" : ".tar.gz");
  std::string cmd;
  if (kind == BundleKind::kDeb) {
    fs::create_directories(tree + "/DEBIAN");
    std::ofstream(tree + "/DEBIAN/control") << "Package: iotawatt\nVersion: " << version << "\nArchitecture: " << arch
                                            << "\nMaintainer: t <t@example.org>\nDescription: test\n";
    cmd = "dpkg-deb --build --root-owner-group " + tree + " " + out;
  } else {
    cmd = "tar -czf " + out + " -C " + tree + " usr";
  }
  return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0 ? out : "";
}

}  // namespace iw::testing
