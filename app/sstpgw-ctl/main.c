/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sstpgw-ctl: the operator CLI over DPDK's telemetry socket.
 *
 *   sstpgw-ctl [-p PREFIX | -s SOCKET] [-r] stats | ports | sessions | kill ID |
 *              cmd /sstpgw/... [params]
 *
 * The socket is /var/run/dpdk/<PREFIX>/dpdk_telemetry.v2 (PREFIX "rte" unless
 * the daemon ran with --file-prefix). Output is the JSON reply, indented;
 * -r prints it raw (one line). Exit 0 on a reply, 1 on errors.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#define REPLY_MAX (1 << 20)

static void usage(FILE *f)
{
	fprintf(f, "usage: sstpgw-ctl [-p PREFIX | -s SOCKET] [-r] COMMAND\n"
		   "  stats                 counters and drops (/sstpgw/stats)\n"
		   "  ports                 ports, links, offloads (/sstpgw/ports)\n"
		   "  sessions              sessions and pool usage (/sstpgw/sessions)\n"
		   "  kill ID               SSTP disconnect of session ID (W_N, from sessions)\n"
		   "  cmd PATH [PARAMS]     any telemetry command, e.g. cmd /ethdev/list\n"
		   "  -p PREFIX   DPDK --file-prefix of the daemon (default rte)\n"
		   "  -s SOCKET   telemetry socket path (overrides -p)\n"
		   "  -r          print the reply as received (no indentation)\n");
}

static int print_reply(const char *text, bool raw)
{
	json_error_t jerr;
	json_t *j;
	char *out;

	if (raw) {
		printf("%s\n", text);
		return 0;
	}
	j = json_loads(text, 0, &jerr);
	if (j == NULL) {
		fprintf(stderr, "sstpgw-ctl: reply is not JSON: %s\n", jerr.text);
		return 1;
	}
	out = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (out == NULL)
		return 1;
	printf("%s\n", out);
	free(out);
	return 0;
}

static int query(const char *path, const char *cmd, bool raw)
{
	struct sockaddr_un sun;
	char *buf;
	ssize_t n;
	int fd, rc = 1;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "sstpgw-ctl: socket path too long\n");
		return 1;
	}
	buf = malloc(REPLY_MAX + 1);
	if (buf == NULL)
		return 1;
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0) {
		perror("sstpgw-ctl: socket");
		goto out;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0) {
		fprintf(stderr, "sstpgw-ctl: %s: %s (is sstpgw running with telemetry on?)\n", path,
			strerror(errno));
		goto out;
	}
	/* The server greets with {"version":...,"max_output_len":...}. */
	n = recv(fd, buf, REPLY_MAX, 0);
	if (n <= 0) {
		fprintf(stderr, "sstpgw-ctl: no greeting from %s\n", path);
		goto out;
	}
	if (send(fd, cmd, strlen(cmd), 0) < 0) {
		perror("sstpgw-ctl: send");
		goto out;
	}
	n = recv(fd, buf, REPLY_MAX, 0);
	if (n <= 0) {
		fprintf(stderr, "sstpgw-ctl: no reply to %s\n", cmd);
		goto out;
	}
	buf[n] = '\0';
	rc = print_reply(buf, raw);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	const char *prefix = "rte", *sock = NULL;
	char path[256], cmd[1024];
	bool raw = false;
	int c;

	while ((c = getopt(argc, argv, "+p:s:rh")) != -1) {
		switch (c) {
		case 'p':
			prefix = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'r':
			raw = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "stats") == 0 && optind + 1 == argc) {
		snprintf(cmd, sizeof(cmd), "/sstpgw/stats");
	} else if (strcmp(argv[optind], "ports") == 0 && optind + 1 == argc) {
		snprintf(cmd, sizeof(cmd), "/sstpgw/ports");
	} else if (strcmp(argv[optind], "sessions") == 0 && optind + 1 == argc) {
		snprintf(cmd, sizeof(cmd), "/sstpgw/sessions");
	} else if (strcmp(argv[optind], "kill") == 0 && optind + 2 == argc &&
		   strlen(argv[optind + 1]) < 32) {
		snprintf(cmd, sizeof(cmd), "/sstpgw/kill,%s", argv[optind + 1]);
	} else if (strcmp(argv[optind], "cmd") == 0 && optind + 1 < argc && optind + 3 >= argc &&
		   argv[optind + 1][0] == '/') {
		if (snprintf(cmd, sizeof(cmd), "%s%s%s", argv[optind + 1],
			     optind + 2 < argc ? "," : "",
			     optind + 2 < argc ? argv[optind + 2] : "") >= (int) sizeof(cmd)) {
			fprintf(stderr, "sstpgw-ctl: command too long\n");
			return 2;
		}
	} else {
		usage(stderr);
		return 2;
	}
	if (sock == NULL) {
		if (strchr(prefix, '/') != NULL) {
			fprintf(stderr, "sstpgw-ctl: bad prefix\n");
			return 2;
		}
		snprintf(path, sizeof(path), "/var/run/dpdk/%s/dpdk_telemetry.v2", prefix);
		sock = path;
	}
	return query(sock, cmd, raw);
}
