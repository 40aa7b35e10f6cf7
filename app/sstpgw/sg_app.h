/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The daemon's state and the seams between its files:
 *   main.c       arguments, --check-config, start/stop order
 *   eal.c        EAL arguments from the config, lcore layout, sg_log -> rte_log
 *   ports.c      WAN/LAN ports and the gateway's identity on each
 *   worker.c     the per-worker burst loop
 *   control.c    the control loop on the main lcore, rings, signals
 *   telemetry.c  /sstpgw/stats and /sstpgw/ports
 *   sg_stats.c   per-core counters and the one summing helper
 *
 * Ownership: struct sg_app is built by the main lcore before workers start
 * and read-only afterwards, except stats[lcore] (written by that lcore only)
 * and each worker's private struct sg_worker runtime fields.
 */
#ifndef SG_APP_H
#define SG_APP_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "sg_config.h"
#include "sg_ipam.h"
#include "sg_net.h"
#include "sg_net_neigh.h"
#include "sg_port.h"
#include "sg_stats.h"

#define SG_BURST	  32
#define SG_RING_SIZE	  4096
#define SG_NEIGH_CAPACITY 64

enum sg_role { SG_ROLE_WAN, SG_ROLE_LAN, SG_ROLE_COUNT };

/* Control <-> worker messages (16 bytes, copied into rte_ring elements). */
enum sg_msg_type {
	SG_MSG_STATS_REQ = 1, /* control -> worker: copy your stats into snap[] */
	SG_MSG_STATS_DONE,    /* worker -> control: snapshot ready (arg = generation) */
	SG_MSG_SHUTDOWN,      /* control -> worker: leave the loop */
	SG_MSG_SHUTDOWN_DONE, /* worker -> control: left */
	SG_MSG_NEIGH_LEARNED, /* worker -> control: a neighbour (role, family, addr, mac) */
	SG_MSG_NEIGH_UPDATE,  /* control -> the other workers: record it too */
	SG_MSG_AUTH_REQ,      /* worker -> control: arg = struct sg_auth_msg * */
	SG_MSG_AUTH_ANSWER,   /* control -> worker: the same object, answered */
	SG_MSG_SESS_CLOSED,   /* worker -> control: release addr (family 4, or 6: a prefix of
				 length flags) */
	SG_MSG_KILL,	      /* control -> worker: arg = session index | generation << 32 */
	SG_MSG_DRAIN,	      /* control -> worker: disconnect every session, admit none */
	/* accounting and dynamic authorization (gw_acct.c); arg = session index | gen << 32 */
	SG_MSG_SESS_OPENED,   /* worker -> control: the session is open (accounting Start) */
	SG_MSG_SESS_END,      /* worker -> control: final counters and cause (Stop), in .acct */
	SG_MSG_ACCT_REQ,      /* control -> worker: report the session's counters */
	SG_MSG_ACCT_COUNTERS, /* worker -> control: the counters of a live session, in .acct */
	SG_MSG_SET_TIMEOUTS,  /* control -> worker: CoA Session-/Idle-Timeout, in .tmo */
};

/*
 * A session's counters as the worker reports them: inner IP packets (IP header
 * included, no PPP/SSTP/TLS overhead) the gateway forwarded from the client to the LAN
 * (in) and to the client (out). Packet counts are 32-bit like the RADIUS attributes.
 */
struct sg_msg_acct {
	uint64_t in_octets, out_octets;
	uint32_t in_pkts, out_pkts;
	uint32_t cause; /* SESS_END: RFC 2866 Acct-Terminate-Cause */
};

/* New timeouts for one session (seconds, 0: none); only the fields in has are set. */
struct sg_msg_tmo {
	uint32_t session_timeout;
	uint32_t idle_timeout;
	uint8_t has; /* SG_MSG_TMO_SESSION | SG_MSG_TMO_IDLE */
};
#define SG_MSG_TMO_SESSION 1u
#define SG_MSG_TMO_IDLE	   2u

struct sg_msg {
	uint32_t type;
	uint32_t lcore;
	uint64_t arg;
	union {
		struct {
			uint8_t role;
			uint8_t family;
			uint8_t flags; /* SG_NET_NEIGH_F_* */
			uint8_t pad;
			uint8_t addr[16];
			uint8_t mac[6];
			uint8_t pad2[2];
		};
		struct sg_msg_acct acct;
		struct sg_msg_tmo tmo;
	};
};
static_assert(sizeof(struct sg_msg) == 48, "ring element size (multiple of 4)");

/* A next hop the gateway keeps resolved on a port (configured gateways, route vias). */
#define SG_MAX_NEXT_HOPS (2 + SG_CONFIG_MAX_ROUTES)
struct sg_next_hop {
	uint8_t family; /* 4 or 6 */
	uint8_t addr[16];
};

struct sg_app;
struct sg_gw;
struct sg_ctl_auth;
struct sg_ctl_acct;
struct sg_steer;
struct sg_impair;

struct sg_worker {
	struct sg_app *app;
	unsigned int lcore;
	uint16_t queue;		     /* its queue pair on every port */
	struct rte_ring *to_worker;  /* control -> worker (SP/SC) */
	struct rte_ring *to_control; /* worker -> control (SP/SC) */
	struct sg_net_neigh_table *neigh[SG_ROLE_COUNT];
	bool running;  /* worker's own */
	bool resolver; /* solicits the configured next hops */
	sg_usec_t last_resolve;
	uint8_t nh_state[SG_ROLE_COUNT][SG_MAX_NEXT_HOPS]; /* resolver's: last outcome */
	struct sg_gw *gw; /* the worker's sessions and data path (sg_gw.h) */
	struct sg_impair *impair[SG_ROLE_COUNT]; /* $.test.impair on each port's rx; NULL: off */
} __rte_cache_aligned;

struct sg_app {
	struct sg_config cfg;
	const char *cfg_path;
	uint64_t tsc_hz;
	uint64_t tsc_per_usec;
	struct rte_mempool *pool;
	struct sg_port ports[SG_ROLE_COUNT];
	bool port_open[SG_ROLE_COUNT];
	struct sg_net_iface ifc[SG_ROLE_COUNT];
	unsigned int n_next_hops[SG_ROLE_COUNT];
	struct sg_next_hop next_hops[SG_ROLE_COUNT][SG_MAX_NEXT_HOPS];
	unsigned int n_workers;
	unsigned int worker_lcores[SG_CONFIG_MAX_WORKERS];
	struct sg_worker workers[SG_CONFIG_MAX_WORKERS];
	struct sg_stats stats[RTE_MAX_LCORE]; /* indexed by lcore id, owner writes */
	struct sg_stats snap[RTE_MAX_LCORE];  /* worker-written on SG_MSG_STATS_REQ */
	/* Built by control before workers start (read-only afterwards). */
	struct rte_mempool *auth_pool; /* struct sg_auth_msg */
	bool has_pool4;
	struct sg_ipam_layout4 layout4;
	bool has_pool6; /* IPv6 for clients: a pool with ipv6_prefix (/64s) and $.ppp.ipv6 */
	struct sg_ipam_layout6 layout6;
	struct sg_ipam_pool6 *pool6; /* control core only (gw_auth6.c) */
	struct sg_ctl_auth *auth;	 /* control core only */
	struct sg_ctl_acct *acct;	 /* control core (telemetry reads its published stats) */
	struct sg_steer *steer;		 /* control writes, workers read (gw_steer.c) */
	uint32_t pool4_used, pool4_size; /* control writes, telemetry reads */
	uint32_t pool6_used, pool6_size;
	uint32_t sessions_admitted;	 /* every worker's sessions ($.limits.sessions), atomic */
	struct rte_ring *ctl_req;	 /* telemetry -> control requests (MP/SC) */
	FILE *log_file;
	bool eal_up;
	/* Benchmarks only (bench/aaa/bench_ctl_auth): NULL runs sg_app_worker_main. */
	int (*worker_main)(void *worker);
	bool stop; /* set from any thread: the control loop ends as on SIGTERM */
};

extern const char *const sg_role_names[SG_ROLE_COUNT];

/* eal.c */
int sg_app_eal_init(struct sg_app *app, const char *prog, int n_extra, char **extra);
void sg_app_log_to_stderr(void);
void sg_app_eal_fini(struct sg_app *app);

/* ports.c */
int sg_app_ports_open(struct sg_app *app);
void sg_app_ports_close(struct sg_app *app);

/* worker.c */
int sg_app_worker_main(void *arg);

/* neigh.c (worker side) */
void sg_app_neigh_share(struct sg_worker *w, struct sg_stats *st, enum sg_role role,
			const struct sg_net_result *res);
void sg_app_neigh_update(struct sg_worker *w, struct sg_stats *st, const struct sg_msg *m,
			 sg_usec_t now);
void sg_app_neigh_resolve_all(struct sg_worker *w, struct sg_stats *st, sg_usec_t now);

/* control.c */
void sg_app_control_signals_install(void); /* SIGINT/SIGTERM end the control loop */
int sg_app_control_setup(struct sg_app *app);
int sg_app_control_run(struct sg_app *app);
void sg_app_control_teardown(struct sg_app *app);

/* gw_auth.c (control core) */
int sg_app_auth_setup(struct sg_app *app);
void sg_app_auth_teardown(struct sg_app *app);
void sg_app_auth_request(struct sg_app *app, void *auth_msg);
void sg_app_auth_release(struct sg_app *app, const struct sg_msg *m);
void sg_app_auth_poll(struct sg_app *app);
/* gw_auth6.c (control core): the sessions' IPv6 /64s */
struct sg_aaa_result;
int sg_app_auth6_setup(struct sg_app *app);
void sg_app_auth6_teardown(struct sg_app *app);
void sg_app_auth6_publish(struct sg_app *app);
int sg_app_auth6_take(struct sg_app *app, unsigned int worker, const struct sg_aaa_result *res,
		      uint8_t prefix[16]);
void sg_app_auth6_release(struct sg_app *app, const uint8_t prefix[16]);
/* Sessions the workers hold now (read from their gauges). */
uint64_t sg_app_sessions_active(const struct sg_app *app);

/* gw_acct.c (control core): RADIUS accounting and dynamic authorization */
struct sg_auth_msg;
struct sg_aaa_result;
int sg_app_acct_setup(struct sg_app *app); /* after the workers' session tables */
void sg_app_acct_teardown(struct sg_app *app);
void sg_app_acct_begin(struct sg_app *app);  /* Accounting-On */
void sg_app_acct_finish(struct sg_app *app); /* Accounting-Off, flush (bounded) */
void sg_app_acct_poll(struct sg_app *app);   /* DAE listener, interim timers, stats */
/* Acct-Session-Id into the request (before it goes to RADIUS). */
void sg_app_acct_auth_req(struct sg_app *app, struct sg_auth_msg *m);
/* Remember what accounting needs from an accepted authentication. */
void sg_app_acct_accepted(struct sg_app *app, const struct sg_auth_msg *m,
			  const struct sg_aaa_result *res);
/* A worker's SESS_OPENED / SESS_END / ACCT_COUNTERS message. */
void sg_app_acct_msg(struct sg_app *app, unsigned int worker, const struct sg_msg *m);
/* gw_auth.c's RADIUS client (NULL with the local backend). */
struct sg_aaa_radius *sg_app_auth_radius(struct sg_app *app);

/* gw_steer.c: addresses the pool layout cannot place -> worker index */
int sg_app_steer_create(struct sg_app *app);
void sg_app_steer_free(struct sg_app *app);
int sg_app_steer_add(struct sg_app *app, uint32_t addr_host, unsigned int worker); /* control */
bool sg_app_steer_del(struct sg_app *app, uint32_t addr_host);			   /* control */
void sg_app_steer_poll(struct sg_app *app);					   /* control */
int sg_app_steer_lookup(const struct sg_app *app, uint32_t addr_be); /* any thread; -1: none */
/* The same for IPv6 /64s (the upper 64 bits of prefix; any address inside it on lookup). */
int sg_app_steer6_add(struct sg_app *app, const uint8_t prefix[16], unsigned int worker);
bool sg_app_steer6_del(struct sg_app *app, const uint8_t prefix[16]);
int sg_app_steer6_lookup(const struct sg_app *app, const uint8_t addr[16]);

/* gw_telemetry.c (telemetry thread) */
struct rte_tel_data;
int sg_app_tel_sessions(const struct sg_app *app, struct rte_tel_data *d);
int sg_app_tel_kill(const struct sg_app *app, const char *params, struct rte_tel_data *d);
/* gw_acct.c (telemetry thread): /sstpgw/aaa */
int sg_app_tel_aaa(const struct sg_app *app, struct rte_tel_data *d);
int sg_app_tel_tcp(const struct sg_app *app, struct rte_tel_data *d);
int sg_app_tel_session(const struct sg_app *app, const char *params, struct rte_tel_data *d);

/* telemetry.c */
int sg_app_telemetry_register(struct sg_app *app);
void sg_app_telemetry_unregister(void);

#endif /* SG_APP_H */
