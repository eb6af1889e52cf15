// Runs one Uploader on a thread of its own (so a slow server delays nobody else and never the
// sampling), with everything it needs owned together.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "upload/clock.h"
#include "upload/uploader.h"

namespace iw::upload {

class UploadRunner {
 public:
  // Starts the thread. `abort` is set by stop() so a transport that watches it (CurlTransport)
  // gives up a request in flight. A null `policy` is DefaultPolicy.
  UploadRunner(UploaderSettings settings, std::unique_ptr<Protocol> protocol, std::unique_ptr<Transport> transport,
               std::unique_ptr<IntervalSource> source, std::unique_ptr<UploadPolicy> policy,
               std::shared_ptr<std::atomic<bool>> abort,
               std::unique_ptr<Clock> clock = std::make_unique<SteadyClock>());
  ~UploadRunner();  // stops
  UploadRunner(const UploadRunner&) = delete;
  UploadRunner& operator=(const UploadRunner&) = delete;

  // Ends the thread after the step in progress (a request in flight is aborted).
  void stop();
  UploaderStatus status() const { return uploader_->status(); }

 private:
  void run();

  std::unique_ptr<Protocol> protocol_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<IntervalSource> source_;
  std::unique_ptr<UploadPolicy> policy_;
  std::unique_ptr<Clock> clock_;
  std::shared_ptr<std::atomic<bool>> abort_;
  std::unique_ptr<Uploader> uploader_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace iw::upload
