#ifndef RELAY_COPUS_SHIM_H
#define RELAY_COPUS_SHIM_H
#include <opus/opus.h>

/* opus_encoder_ctl is variadic; Swift needs one fixed signature per request. */
static inline int relay_opus_set_bitrate(OpusEncoder *enc, opus_int32 bps) {
    return opus_encoder_ctl(enc, OPUS_SET_BITRATE(bps));
}
#endif
