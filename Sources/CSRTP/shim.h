#ifndef RELAY_CSRTP_SHIM_H
#define RELAY_CSRTP_SHIM_H
#include <srtp2/srtp.h>

/* libsrtp declares this profile setter as a macro, which Swift cannot call. */
static inline void relay_srtp_policy_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *p) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p);
}

static inline int relay_srtp_max_trailer_len(void) { return SRTP_MAX_TRAILER_LEN; }
#endif
