/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The message sstpc's pppd plugin sends on /var/run/sstpc/sstpc-<ipparam> when PPP
 * authentication has completed (format from sstp-client 1.0.18's public API header,
 * re-expressed here; no code taken from it):
 *
 *   header   u32 magic 0x73737470 ("sstp"), u16 payload length, u16 type
 *            (1 AUTH from the plugin, 3 ACK back from sstpc; 8 bytes, header only)
 *   payload  attributes {u16 type, u16 key length, key padded to 4 bytes}:
 *            type 1 = MPPE send key, 2 = MPPE receive key, both as pppd (the client)
 *            sees them; no attributes = a zero HLAK (PAP, CHAP-MD5).
 *
 * Every field is in the host's byte order: plugin and sstpc run on the same machine and
 * both copy their C structs as they are.
 */
#ifndef SSTPC_PLUGIN_MSG_H
#define SSTPC_PLUGIN_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SSTPC_PLUGIN_MAGIC     0x73737470u
#define SSTPC_PLUGIN_HDR_LEN   8
#define SSTPC_PLUGIN_ATTR_HDR  4
#define SSTPC_PLUGIN_AUTH      1
#define SSTPC_PLUGIN_ACK       3
#define SSTPC_PLUGIN_ATTR_SEND 1
#define SSTPC_PLUGIN_ATTR_RECV 2
#define SSTPC_PLUGIN_KEY_MAX   32
#define SSTPC_PLUGIN_MSG_MAX                                                                       \
	(SSTPC_PLUGIN_HDR_LEN + 2 * (SSTPC_PLUGIN_ATTR_HDR + SSTPC_PLUGIN_KEY_MAX))

static inline size_t sstpc_plugin_put_attr(uint8_t *p, uint16_t type, const uint8_t *key,
					   uint16_t len)
{
	size_t padded = ((size_t) len + 3u) & ~(size_t) 3u;

	memcpy(p, &type, 2);
	memcpy(p + 2, &len, 2);
	memset(p + SSTPC_PLUGIN_ATTR_HDR, 0, padded);
	memcpy(p + SSTPC_PLUGIN_ATTR_HDR, key, len);
	return SSTPC_PLUGIN_ATTR_HDR + padded;
}

/* Build an AUTH message into buf (SSTPC_PLUGIN_MSG_MAX bytes); keys may be NULL. Returns its
 * length. key_len <= SSTPC_PLUGIN_KEY_MAX. */
static inline size_t sstpc_plugin_msg_auth(uint8_t *buf, const uint8_t *send_key,
					   const uint8_t *recv_key, uint16_t key_len)
{
	uint32_t magic = SSTPC_PLUGIN_MAGIC;
	uint16_t type = SSTPC_PLUGIN_AUTH, plen;
	size_t off = SSTPC_PLUGIN_HDR_LEN;

	if (key_len > SSTPC_PLUGIN_KEY_MAX)
		key_len = SSTPC_PLUGIN_KEY_MAX;
	if (send_key)
		off += sstpc_plugin_put_attr(buf + off, SSTPC_PLUGIN_ATTR_SEND, send_key, key_len);
	if (recv_key)
		off += sstpc_plugin_put_attr(buf + off, SSTPC_PLUGIN_ATTR_RECV, recv_key, key_len);
	plen = (uint16_t) (off - SSTPC_PLUGIN_HDR_LEN);
	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &plen, 2);
	memcpy(buf + 6, &type, 2);
	return off;
}

/* Type of a received header, or -1 when it is not one (short or wrong magic). */
static inline int sstpc_plugin_msg_type(const uint8_t *buf, size_t len)
{
	uint32_t magic;
	uint16_t type;

	if (len < SSTPC_PLUGIN_HDR_LEN)
		return -1;
	memcpy(&magic, buf, 4);
	memcpy(&type, buf + 6, 2);
	return magic == SSTPC_PLUGIN_MAGIC ? type : -1;
}

#endif /* SSTPC_PLUGIN_MSG_H */
