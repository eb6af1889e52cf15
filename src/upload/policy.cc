#include "upload/policy.h"

#include "upload/uploader.h"

namespace iw::upload {

int64_t UploadPolicy::start_point(const StartInputs& in) const {
  return upload::start_point(in.cursor_next, in.server_last, in.interval_s, in.begdate, in.first_record,
                             in.newest_record);
}

}  // namespace iw::upload
