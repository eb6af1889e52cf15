#include "server/response_pipe.h"

namespace iw::server {

bool ResponsePipe::write(std::string_view piece) {
  while (!piece.empty()) {
    {
      std::unique_lock lock(mutex_);
      drained_.wait(lock, [this] { return cancelled_ || buffer_.size() < capacity_; });
      if (cancelled_) return false;
      const size_t n = std::min(piece.size(), capacity_ - buffer_.size());
      buffer_.append(piece.substr(0, n));
      piece.remove_prefix(n);
    }
    wake_();
  }
  std::lock_guard lock(mutex_);
  return !cancelled_;
}

void ResponsePipe::finish() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  wake_();
}

std::string ResponsePipe::take(bool* finished) {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out.swap(buffer_);
    *finished = finished_ && out.empty();
  }
  drained_.notify_all();
  return out;
}

void ResponsePipe::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    buffer_.clear();
  }
  drained_.notify_all();
}

}  // namespace iw::server
