#include "update/offer.h"

#include <algorithm>

namespace iw::update {
namespace {

Offer refuse(std::string reason) { return {Offer::Kind::kRefused, nullptr, std::move(reason)}; }

}  // namespace

Offer decide_offer(const Manifest& m, const Installed& installed) {
  const std::string offered = m.version.to_string(), have = installed.version.to_string();
  if (m.version == installed.version) return {Offer::Kind::kUpToDate, nullptr, {}};
  if (m.version < installed.version && !installed.allow_downgrade) {
    return refuse("the server offers " + offered + ", older than the installed " + have +
                  ": refused (a replayed manifest, or a release withdrawn; an admin may force a downgrade)");
  }
  if (std::find(installed.bad.begin(), installed.bad.end(), m.version) != installed.bad.end()) {
    return refuse(offered + " failed its health check on this device and was rolled back: not tried again");
  }
  if (installed.version < m.min_version) {
    return refuse(offered + " cannot replace " + have + " (it needs " + m.min_version.to_string() +
                  " or later installed first: install that by hand)");
  }
  const Bundle* bundle = m.bundle_for(installed.arch);
  if (bundle == nullptr) return refuse(offered + " has no bundle for " + installed.arch);
  return {Offer::Kind::kInstall, bundle, {}};
}

}  // namespace iw::update
