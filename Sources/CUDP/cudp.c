#define _GNU_SOURCE
#include "cudp.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

enum { relay_max_batch = 64 };

/* Room for the SCM_TIMESTAMPNS, IP_PKTINFO and UDP_GRO control messages of a received datagram. */
typedef union {
    char bytes[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(struct in_pktinfo)) + CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
} relay_receive_control;

/* Room for the IP_PKTINFO control message that names a datagram's source address. */
typedef union {
    char bytes[CMSG_SPACE(sizeof(struct in_pktinfo))];
    struct cmsghdr align;
} relay_send_control;

int relay_udp_receive_batch(int fd, relay_udp_slot *slots, unsigned int count) {
    struct mmsghdr headers[relay_max_batch];
    struct iovec vectors[relay_max_batch];
    relay_receive_control controls[relay_max_batch];
    if (count > relay_max_batch) count = relay_max_batch;
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = slots[i].buffer;
        vectors[i].iov_len = slots[i].capacity;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &slots[i].address;
        headers[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
        headers[i].msg_hdr.msg_control = controls[i].bytes;
        headers[i].msg_hdr.msg_controllen = sizeof(controls[i].bytes);
    }
    int received = recvmmsg(fd, headers, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < received; i++) {
        slots[i].length = headers[i].msg_len;
        slots[i].address_length = headers[i].msg_hdr.msg_namelen;
        /* A datagram larger than the slot arrives cut short; report it as empty so it is dropped. */
        if (headers[i].msg_hdr.msg_flags & MSG_TRUNC) slots[i].length = 0;
        slots[i].arrival_realtime_ns = 0;
        slots[i].local_address = 0;
        slots[i].segment_length = 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&headers[i].msg_hdr); c != NULL; c = CMSG_NXTHDR(&headers[i].msg_hdr, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec stamp;
                memcpy(&stamp, CMSG_DATA(c), sizeof(stamp));
                slots[i].arrival_realtime_ns = (uint64_t)stamp.tv_sec * 1000000000u + (uint64_t)stamp.tv_nsec;
            } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                struct in_pktinfo info;
                memcpy(&info, CMSG_DATA(c), sizeof(info));
                slots[i].local_address = ntohl(info.ipi_addr.s_addr);
            } else if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
                int length;
                memcpy(&length, CMSG_DATA(c), sizeof(length));
                if (length > 0) slots[i].segment_length = (size_t)length;
            }
        }
    }
    return received;
}

int relay_udp_send_batch(int fd, relay_udp_slot *slots, unsigned int count) {
    struct mmsghdr headers[relay_max_batch];
    struct iovec vectors[relay_max_batch];
    relay_send_control controls[relay_max_batch];
    if (count > relay_max_batch) count = relay_max_batch;
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = slots[i].buffer;
        vectors[i].iov_len = slots[i].length;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &slots[i].address;
        headers[i].msg_hdr.msg_namelen = slots[i].address_length;
        if (slots[i].local_address != 0) {
            /* The source address a peer sent to, whatever the kernel's route would prefer: a
               browser drops an answer from an address it did not send to. */
            memset(controls[i].bytes, 0, sizeof(controls[i].bytes));
            headers[i].msg_hdr.msg_control = controls[i].bytes;
            headers[i].msg_hdr.msg_controllen = sizeof(controls[i].bytes);
            struct cmsghdr *c = CMSG_FIRSTHDR(&headers[i].msg_hdr);
            c->cmsg_level = IPPROTO_IP;
            c->cmsg_type = IP_PKTINFO;
            c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
            struct in_pktinfo info;
            memset(&info, 0, sizeof(info));
            info.ipi_spec_dst.s_addr = htonl(slots[i].local_address);
            memcpy(CMSG_DATA(c), &info, sizeof(info));
        }
    }
    int done = 0;
    int sent = 0;
    while (done < (int)count) {
        int result = sendmmsg(fd, headers + done, count - done, 0);
        if (result < 0) {
            if (errno == EINTR) continue;
            /* sendmmsg stops at the first datagram that fails: skip that one only. */
            done += 1;
            continue;
        }
        done += result;
        sent += result;
    }
    return sent;
}

int relay_udp_bind_ipv4(uint32_t address, uint16_t port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int size = 4 * 1024 * 1024;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    /* Arrival times for transport-wide feedback come from the kernel, not from when the worker
       thread got to the batch. */
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    struct sockaddr_in local;
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_port = htons(port);
    local.sin_addr.s_addr = htonl(address);
    if (bind(fd, (struct sockaddr *)&local, sizeof(local)) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int relay_udp_report_destinations(int fd) {
    int on = 1;
    return setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
}

void relay_clock_pair(uint64_t *realtime, uint64_t *monotonic) {
    struct timespec real, mono;
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    *realtime = (uint64_t)real.tv_sec * 1000000000u + (uint64_t)real.tv_nsec;
    *monotonic = (uint64_t)mono.tv_sec * 1000000000u + (uint64_t)mono.tv_nsec;
}

int relay_udp_local_port(int fd) {
    struct sockaddr_in local;
    socklen_t length = sizeof(local);
    if (getsockname(fd, (struct sockaddr *)&local, &length) != 0) return -1;
    return ntohs(local.sin_port);
}

int relay_poll_ns(struct pollfd *fds, unsigned long count, uint64_t timeout_ns) {
    struct timespec timeout = { (time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u) };
    return ppoll(fds, (nfds_t)count, &timeout, NULL);
}

int relay_wakeup_create(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

void relay_wakeup_signal(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof(one));
    (void)ignored;
}

void relay_wakeup_drain(int fd) {
    uint64_t value;
    while (read(fd, &value, sizeof(value)) > 0) {
    }
}

void relay_thread_set_name(const char *name) {
    char shortened[16];
    strncpy(shortened, name, sizeof shortened - 1);
    shortened[sizeof shortened - 1] = '\0';
    pthread_setname_np(pthread_self(), shortened);
}

int relay_thread_set_realtime(int priority) {
    struct sched_param parameter = { .sched_priority = priority };
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameter);
}

int relay_realtime_allowed(int priority) {
    int policy;
    struct sched_param previous;
    int error = pthread_getschedparam(pthread_self(), &policy, &previous);
    if (error != 0) return error;
    error = relay_thread_set_realtime(priority);
    if (error != 0) return error;
    return pthread_setschedparam(pthread_self(), policy, &previous);
}
