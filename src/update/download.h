// Downloading a release's bundle so that what ends up on disk is exactly what the manifest
// signed: resumed across cut connections and restarts, never larger than the manifest says,
// and kept only when its SHA-256 matches.
//
// Invariant: `<dir>/<name>` (the bundle's file name) exists only with the size and SHA-256 of
// the manifest; bytes still being fetched live in `<dir>/<name>.part`.
#pragma once

#include <functional>
#include <string>

#include "update/https_fetch.h"
#include "update/manifest.h"

namespace iw::update {

// Called after each fetch with the bytes on disk so far and the bundle's size.
using DownloadProgress = std::function<void(uint64_t have, uint64_t total)>;

struct DownloadOptions {
  FetchOptions fetch;
  int attempts = 5;                      // fetches (each resuming the last) before giving up
  uint64_t max_bytes = kMaxBundleBytes;  // this device's cap, below the manifest's own limit
  DownloadProgress progress;
};

// The path of the verified bundle in `dir`, downloaded from `base_url` + "/" + bundle.path (or
// found there from an earlier run). A hash mismatch deletes the bytes and says so: the server
// holds something other than what was signed.
Result<std::string> download_bundle(const std::string& base_url, const Bundle& bundle, const std::string& dir,
                                    const DownloadOptions& options);

}  // namespace iw::update
