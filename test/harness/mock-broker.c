/*
 * mock-broker: a Kafka-protocol test broker for the integration tests.
 *
 * Wraps librdkafka's in-process mock cluster (rdkafka_mock.h) in a process that test code can
 * drive over a line protocol:
 *
 *   usage: mock-broker [broker-count]          (default 1)
 *
 *   stdout, once:  BOOTSTRAP <host:port,...>
 *   stdin, one command per line, each answered with one line "OK" or "ERR <reason>":
 *     create_topic <name> <partitions> <replication>
 *     broker_down <id>        (id -1 = every broker; mock broker ids start at 1)
 *     broker_up <id>
 *     push_errors <apikey> <err> [<err> ...]   the next requests of that API key fail with these
 *                                              error codes, in order (negative = librdkafka
 *                                              internal codes, e.g. -195 disconnects the client)
 *     quit
 *
 * The process exits 0 on "quit", on EOF on stdin (so it dies with the test process that owns the
 * pipe, however that process ends) and on SIGTERM/SIGINT/SIGHUP.
 *
 * Build: gcc -O2 -o test/harness/build/mock-broker test/harness/mock-broker.c -lrdkafka
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_ARGS 64

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

static void reply_ok(void) {
        fputs("OK\n", stdout);
        fflush(stdout);
}

static void reply_err(const char *reason) {
        fprintf(stdout, "ERR %s\n", reason);
        fflush(stdout);
}

static void reply_rd(rd_kafka_resp_err_t err) {
        if (err)
                reply_err(rd_kafka_err2str(err));
        else
                reply_ok();
}

/* Strict integer parsing: a typo in a test must fail loudly, not become 0. */
static int parse_long(const char *s, long min, long max, long *out) {
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < min || v > max)
                return -1;
        *out = v;
        return 0;
}

static void handle(rd_kafka_mock_cluster_t *mc, int argc, char **argv) {
        const char *cmd = argv[0];
        long a, b;

        if (!strcmp(cmd, "create_topic")) {
                if (argc != 4 || parse_long(argv[2], 1, 100000, &a) ||
                    parse_long(argv[3], 1, 1000, &b)) {
                        reply_err("usage: create_topic <name> <partitions> <replication>");
                        return;
                }
                reply_rd(rd_kafka_mock_topic_create(mc, argv[1], (int)a, (int)b));

        } else if (!strcmp(cmd, "broker_down") || !strcmp(cmd, "broker_up")) {
                int down = !strcmp(cmd, "broker_down");
                if (argc != 2 || parse_long(argv[1], -1, 1000000, &a)) {
                        reply_err(down ? "usage: broker_down <id>" : "usage: broker_up <id>");
                        return;
                }
                reply_rd(down ? rd_kafka_mock_broker_set_down(mc, (int32_t)a)
                              : rd_kafka_mock_broker_set_up(mc, (int32_t)a));

        } else if (!strcmp(cmd, "push_errors")) {
                rd_kafka_resp_err_t errs[MAX_ARGS];
                int i;

                if (argc < 3 || parse_long(argv[1], 0, 32767, &a)) {
                        reply_err("usage: push_errors <apikey> <err1> [err2 ...]");
                        return;
                }
                for (i = 2; i < argc; i++) {
                        if (parse_long(argv[i], -100000, 100000, &b)) {
                                reply_err("push_errors: error codes must be integers");
                                return;
                        }
                        errs[i - 2] = (rd_kafka_resp_err_t)b;
                }
                /* Returns void: the mock accepts any code, it only replays them. */
                rd_kafka_mock_push_request_errors_array(mc, (int16_t)a, (size_t)(argc - 2), errs);
                reply_ok();

        } else {
                reply_err("unknown command (create_topic, broker_down, broker_up, push_errors, quit)");
        }
}

int main(int argc, char **argv) {
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        struct sigaction sa;
        char line[4096];
        long brokers = 1;

        if (argc > 2 || (argc == 2 && parse_long(argv[1], 1, 100, &brokers))) {
                fprintf(stderr, "usage: %s [broker-count 1..100]\n", argv[0]);
                return 2;
        }

        /* No SA_RESTART: a signal must interrupt the blocking read of stdin so we can exit. */
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        /* If the reader of stdout is gone, fail the write (and exit below) instead of dying. */
        signal(SIGPIPE, SIG_IGN);

        /* The mock cluster needs a client handle to live in; this producer is never used.
         * Its logs go to stderr, which the harness keeps for error messages. */
        conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "mock-broker: rd_kafka_new failed: %s\n", errstr);
                return 1;
        }

        mc = rd_kafka_mock_cluster_new(rk, (int)brokers);
        if (!mc) {
                fprintf(stderr, "mock-broker: rd_kafka_mock_cluster_new failed\n");
                rd_kafka_destroy(rk);
                return 1;
        }

        fprintf(stdout, "BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mc));
        fflush(stdout);

        while (!stop_requested) {
                char *args[MAX_ARGS];
                int n = 0;
                char *save = NULL, *tok;

                if (!fgets(line, sizeof(line), stdin)) {
                        if (ferror(stdin) && errno == EINTR && !stop_requested) {
                                clearerr(stdin);
                                continue;
                        }
                        break; /* EOF, read error or signal */
                }

                for (tok = strtok_r(line, " \t\r\n", &save); tok && n < MAX_ARGS;
                     tok = strtok_r(NULL, " \t\r\n", &save))
                        args[n++] = tok;
                if (n == 0)
                        continue;
                if (tok) {
                        reply_err("too many arguments");
                        continue;
                }
                if (!strcmp(args[0], "quit")) {
                        reply_ok();
                        break;
                }
                handle(mc, n, args);
                if (ferror(stdout))
                        break; /* nobody is listening any more */
        }

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
