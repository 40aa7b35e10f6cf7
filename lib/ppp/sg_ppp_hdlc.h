/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Async HDLC-like framing (RFC 1662 §4): 0x7E flags, 0x7D escapes, FCS-16.
 * Used only where a peer needs it (sstpc --nolaunchpppd on fd 0), never on the
 * gateway's data path (SSTP carries bare PPP frames).
 *
 * The encoder escapes 0x7E, 0x7D and every byte below 0x20 whose bit is set in
 * the ACCM (0xffffffff = all, the safe default). The decoder is resumable:
 * feed it any slice of the byte stream; it returns when a frame is complete, a
 * bad frame was dropped, or the input is used up. Not thread safe per decoder.
 */
#ifndef SG_PPP_HDLC_H
#define SG_PPP_HDLC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SG_HDLC_FLAG	  0x7e
#define SG_HDLC_ESCAPE	  0x7d
#define SG_HDLC_XOR	  0x20
#define SG_HDLC_FCS_INIT  0xffff
#define SG_HDLC_FCS_GOOD  0xf0b8
#define SG_HDLC_FCS_LEN	  2
#define SG_HDLC_ACCM_ALL  0xffffffffu
#define SG_HDLC_FRAME_MAX 4100 /* PPP frame + FCS the decoder buffers at most */

/* FCS-16 (RFC 1662 §C.2) over data, starting from fcs. */
uint16_t sg_ppp_hdlc_fcs16(uint16_t fcs, const uint8_t *data, size_t len);

/* Worst-case encoded size of a frame of len bytes (flags, escapes, FCS). */
static inline size_t sg_ppp_hdlc_encoded_max(size_t len)
{
	return 2 + 2 * (len + SG_HDLC_FCS_LEN);
}

/*
 * Encode one PPP frame (address/control/protocol/information, no FCS) into
 * out: opening flag, escaped bytes, FCS low byte first, closing flag.
 * Returns bytes written, or -ENOSPC when cap is too small.
 */
int sg_ppp_hdlc_encode(const uint8_t *frame, size_t len, uint32_t accm, uint8_t *out, size_t cap);

/* Decoder state; zero it or call sg_ppp_hdlc_decoder_init(). */
struct sg_ppp_hdlc_decoder {
	uint16_t max;	  /* largest frame kept (without FCS), <= SG_HDLC_FRAME_MAX - 2 */
	uint16_t len;	  /* bytes in buf */
	uint8_t escaped;  /* previous byte was 0x7D */
	uint8_t overflow; /* current frame exceeded max: drop at the next flag */
	uint8_t buf[SG_HDLC_FRAME_MAX];
};

void sg_ppp_hdlc_decoder_init(struct sg_ppp_hdlc_decoder *d, uint16_t max_frame);

/*
 * Consume bytes from in until a frame ends or the input is used up; *used gets
 * the bytes consumed. Returns:
 *   > 0        a frame of that length (FCS checked and removed) is in d->buf,
 *              valid until the next call;
 *   0          all input consumed, no complete frame yet;
 *   -EBADMSG   a frame with a bad FCS or shorter than 4 bytes was dropped;
 *   -EMSGSIZE  a frame longer than max was dropped.
 * Empty frames between flags (back-to-back flags) are skipped silently.
 */
int sg_ppp_hdlc_decode(struct sg_ppp_hdlc_decoder *d, const uint8_t *in, size_t len, size_t *used);

#ifdef __cplusplus
}
#endif

#endif /* SG_PPP_HDLC_H */
