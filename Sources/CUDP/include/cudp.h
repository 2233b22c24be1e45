#ifndef RELAY_CUDP_H
#define RELAY_CUDP_H
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>

/* Batched UDP I/O. Glibc declares recvmmsg, sendmmsg and struct mmsghdr only under _GNU_SOURCE,
   which Swift's Glibc module does not define, so they are reached through these functions. */

/* One datagram slot of a batch: the caller owns the buffers. */
typedef struct relay_udp_slot {
    void *buffer;
    size_t capacity;
    size_t length;                   /* bytes received, or bytes to send */
    struct sockaddr_storage address; /* source on receive, destination on send */
    socklen_t address_length;
    uint64_t arrival_realtime_ns;    /* on receive: when the kernel took it in (CLOCK_REALTIME), 0 if unknown */
    uint32_t local_address;          /* IPv4, host order: on receive the address it was sent to (IP_PKTINFO, on a
                                        socket bound to every address), on send the source to give it; 0: unknown,
                                        or the kernel's choice */
    size_t segment_length;           /* on receive: the length of each datagram when the slot holds several that
                                        arrived as one segmented send taken whole (UDP_GRO; the last may be
                                        shorter); 0 when it holds one */
} relay_udp_slot;

/* Receives up to `count` datagrams without blocking; returns how many, or -1 with errno. */
int relay_udp_receive_batch(int fd, relay_udp_slot *slots, unsigned int count);

/* Sends `count` datagrams; a datagram the kernel refuses is skipped, not the rest of the batch
   behind it. Returns how many were sent. */
int relay_udp_send_batch(int fd, relay_udp_slot *slots, unsigned int count);

/* Scratch for relay_udp_send_segmented, made once by the caller for batches of up to
   `capacity` datagrams (its arrays are too large for a worker thread's stack). */
typedef struct relay_udp_send_plan relay_udp_send_plan;
relay_udp_send_plan *relay_udp_send_plan_create(unsigned int capacity);
void relay_udp_send_plan_destroy(relay_udp_send_plan *plan);

/* Sends `count` datagrams as relay_udp_send_batch does, except that a destination's datagrams
   of one length (the last may be shorter) leave in one message the kernel cuts into
   datagrams (UDP generic segmentation offload, UDP_SEGMENT): one pass through the IP stack for
   up to 64 of them. A destination's datagrams keep their order; the order between
   destinations changes. Sets *refused to 1 when the kernel refused a segmented message for
   want of checksum offload (those datagrams then went one by one), and *sends to the number of
   messages the kernel took. Returns how many datagrams were sent. */
int relay_udp_send_segmented(
    int fd, relay_udp_slot *slots, unsigned int count, relay_udp_send_plan *plan, int *refused, unsigned int *sends);

/* 1 when the kernel can segment UDP sends on this socket (UDP_SEGMENT), else 0. */
int relay_udp_can_segment(int fd);

/* Lets the socket receive a segmented send whole, as one datagram of all its segments
   (UDP_GRO), rather than have the kernel cut it up on the way in; 0, or the error number. */
int relay_udp_receive_whole(int fd);

/* Creates a UDP socket bound to the IPv4 address (host order) and port, non-blocking, with
   large buffers and kernel receive timestamps; returns the descriptor or -1 with errno. */
int relay_udp_bind_ipv4(uint32_t address, uint16_t port);

/* Makes a socket bound to every address report each datagram's destination address
   (IP_PKTINFO, in the slot's local_address); returns 0 or -1 with errno. */
int relay_udp_report_destinations(int fd);

/* CLOCK_REALTIME and CLOCK_MONOTONIC now, in nanoseconds, read back to back. */
void relay_clock_pair(uint64_t *realtime, uint64_t *monotonic);

/* The port a socket is bound to, or -1. */
int relay_udp_local_port(int fd);

/* poll with a timeout in nanoseconds (ppoll, another _GNU_SOURCE declaration): a sender paced
   finer than a millisecond waits instead of spinning. */
int relay_poll_ns(struct pollfd *fds, unsigned long count, uint64_t timeout_ns);

/* An eventfd used to wake a worker blocked in poll; -1 on error. */
int relay_wakeup_create(void);
void relay_wakeup_signal(int fd);
void relay_wakeup_drain(int fd);

/* Names the calling thread for the kernel (its comm; cut to 15 bytes), which top -H and
   /proc/PID/task/TID/comm show: pthread_setname_np is a _GNU_SOURCE declaration. */
void relay_thread_set_name(const char *name);

/* Puts the calling thread under SCHED_FIFO at `priority` (1-99): 0, or the error number
   (EPERM without CAP_SYS_NICE or an RLIMIT_RTPRIO that high, EINVAL out of range). */
int relay_thread_set_realtime(int priority);

/* Whether a thread of this process may take SCHED_FIFO at `priority`: the calling thread takes
   it and gives it back at once. 0, or the error number. */
int relay_realtime_allowed(int priority);
#endif
