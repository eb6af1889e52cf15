#include "upload/runner.h"

namespace iw::upload {

UploadRunner::UploadRunner(UploaderSettings settings, std::unique_ptr<Protocol> protocol,
                           std::unique_ptr<Transport> transport, std::unique_ptr<IntervalSource> source,
                           std::unique_ptr<UploadPolicy> policy, std::shared_ptr<std::atomic<bool>> abort,
                           std::unique_ptr<Clock> clock)
    : protocol_(std::move(protocol)),
      transport_(std::move(transport)),
      source_(std::move(source)),
      policy_(std::move(policy)),
      clock_(std::move(clock)),
      abort_(std::move(abort)),
      uploader_(std::make_unique<Uploader>(std::move(settings), *protocol_, *transport_, *source_, policy_.get())) {
  thread_ = std::thread([this] { run(); });
}

UploadRunner::~UploadRunner() { stop(); }

void UploadRunner::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (abort_) abort_->store(true);
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void UploadRunner::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const int64_t now = clock_->now_ms();
    const int64_t next = uploader_->step(now);
    lock.lock();
    if (next > now) wake_.wait_for(lock, std::chrono::milliseconds(next - now), [this] { return stopping_; });
  }
}

}  // namespace iw::upload
