#define _GNU_SOURCE
#include "cudp.h"

#include <errno.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>

/* Datagrams one segmented message may carry, and its bytes: the kernel takes at most 64
   segments (UDP_MAX_SEGMENTS) and one UDP payload of under 64 KiB. */
enum { relay_max_segments = 64, relay_max_segmented_bytes = 65000 };

/* Room for the UDP_SEGMENT and IP_PKTINFO control messages of one message. */
typedef union {
    char bytes[CMSG_SPACE(sizeof(uint16_t)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
    struct cmsghdr align;
} relay_segment_control;

struct relay_udp_send_plan {
    unsigned int capacity;
    unsigned int table_size;
    struct mmsghdr *headers;
    struct iovec *vectors;
    relay_segment_control *controls;
    /* Per message: its first slot, segment size, datagrams, bytes, whether a shorter last
       datagram closed it, and where its vectors start. */
    unsigned int *first;
    size_t *segment_size;
    unsigned int *segments;
    size_t *bytes;
    unsigned char *closed;
    unsigned int *vector_start;
    /* Per slot: its message. */
    unsigned int *message_of;
    /* Open addressing from a destination to 1 + its latest message, 0 when empty. */
    unsigned int *table;
};

relay_udp_send_plan *relay_udp_send_plan_create(unsigned int capacity) {
    relay_udp_send_plan *plan = calloc(1, sizeof(relay_udp_send_plan));
    if (plan == NULL) return NULL;
    plan->capacity = capacity;
    plan->table_size = 16;
    while (plan->table_size < 2 * capacity) plan->table_size *= 2;
    plan->headers = calloc(capacity, sizeof(struct mmsghdr));
    plan->vectors = calloc(capacity, sizeof(struct iovec));
    plan->controls = calloc(capacity, sizeof(relay_segment_control));
    plan->first = calloc(capacity, sizeof(unsigned int));
    plan->segment_size = calloc(capacity, sizeof(size_t));
    plan->segments = calloc(capacity, sizeof(unsigned int));
    plan->bytes = calloc(capacity, sizeof(size_t));
    plan->closed = calloc(capacity, sizeof(unsigned char));
    plan->vector_start = calloc(capacity, sizeof(unsigned int));
    plan->message_of = calloc(capacity, sizeof(unsigned int));
    plan->table = calloc(plan->table_size, sizeof(unsigned int));
    if (!plan->headers || !plan->vectors || !plan->controls || !plan->first || !plan->segment_size || !plan->segments ||
        !plan->bytes || !plan->closed || !plan->vector_start || !plan->message_of || !plan->table) {
        relay_udp_send_plan_destroy(plan);
        return NULL;
    }
    return plan;
}

void relay_udp_send_plan_destroy(relay_udp_send_plan *plan) {
    if (plan == NULL) return;
    free(plan->headers);
    free(plan->vectors);
    free(plan->controls);
    free(plan->first);
    free(plan->segment_size);
    free(plan->segments);
    free(plan->bytes);
    free(plan->closed);
    free(plan->vector_start);
    free(plan->message_of);
    free(plan->table);
    free(plan);
}

int relay_udp_can_segment(int fd) {
    /* Setting a socket-wide segment size of 0 is accepted exactly where UDP_SEGMENT is known,
       and leaves every send unsegmented unless its own control message asks. */
    int zero = 0;
    return setsockopt(fd, SOL_UDP, UDP_SEGMENT, &zero, sizeof(zero)) == 0 ? 1 : 0;
}

static int same_route(const relay_udp_slot *a, const relay_udp_slot *b) {
    return a->address_length == b->address_length && a->local_address == b->local_address &&
           memcmp(&a->address, &b->address, a->address_length) == 0;
}

static unsigned int route_hash(const relay_udp_slot *slot) {
    const unsigned char *bytes = (const unsigned char *)&slot->address;
    uint32_t hash = 2166136261u ^ slot->local_address;
    for (socklen_t i = 0; i < slot->address_length; i++) hash = (hash ^ bytes[i]) * 16777619u;
    return hash;
}

/* Gives each slot its message: the latest one to the same destination and source if the slot
   can end it (the same length, or shorter, which closes it), else a new one. Returns the
   number of messages. */
static unsigned int plan_messages(relay_udp_slot *slots, unsigned int count, relay_udp_send_plan *plan) {
    memset(plan->table, 0, sizeof(unsigned int) * plan->table_size);
    unsigned int messages = 0;
    unsigned int mask = plan->table_size - 1;
    for (unsigned int i = 0; i < count; i++) {
        unsigned int place = route_hash(&slots[i]) & mask;
        while (plan->table[place] != 0 && !same_route(&slots[plan->first[plan->table[place] - 1]], &slots[i])) {
            place = (place + 1) & mask;
        }
        if (plan->table[place] != 0) {
            unsigned int m = plan->table[place] - 1;
            size_t length = slots[i].length;
            if (!plan->closed[m] && length <= plan->segment_size[m] && plan->segments[m] < relay_max_segments &&
                plan->bytes[m] + length <= relay_max_segmented_bytes) {
                plan->message_of[i] = m;
                plan->segments[m] += 1;
                plan->bytes[m] += length;
                if (length < plan->segment_size[m]) plan->closed[m] = 1;
                continue;
            }
        }
        unsigned int m = messages++;
        plan->first[m] = i;
        plan->segment_size[m] = slots[i].length;
        plan->segments[m] = 1;
        plan->bytes[m] = slots[i].length;
        plan->closed[m] = 0;
        plan->message_of[i] = m;
        plan->table[place] = m + 1;
    }
    return messages;
}

static void fill_message(relay_udp_slot *slots, relay_udp_send_plan *plan, unsigned int m, int segmented) {
    struct msghdr *header = &plan->headers[m].msg_hdr;
    relay_udp_slot *first = &slots[plan->first[m]];
    memset(&plan->headers[m], 0, sizeof(struct mmsghdr));
    header->msg_iov = &plan->vectors[plan->vector_start[m]];
    header->msg_iovlen = plan->segments[m];
    header->msg_name = &first->address;
    header->msg_namelen = first->address_length;
    size_t control = 0;
    if (segmented && plan->segments[m] > 1) control += CMSG_SPACE(sizeof(uint16_t));
    if (first->local_address != 0) control += CMSG_SPACE(sizeof(struct in_pktinfo));
    if (control == 0) return;
    memset(plan->controls[m].bytes, 0, sizeof(plan->controls[m].bytes));
    header->msg_control = plan->controls[m].bytes;
    header->msg_controllen = control;
    struct cmsghdr *c = CMSG_FIRSTHDR(header);
    if (segmented && plan->segments[m] > 1) {
        uint16_t size = (uint16_t)plan->segment_size[m];
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(size));
        memcpy(CMSG_DATA(c), &size, sizeof(size));
        c = CMSG_NXTHDR(header, c);
    }
    if (first->local_address != 0) {
        struct in_pktinfo info;
        memset(&info, 0, sizeof(info));
        info.ipi_spec_dst.s_addr = htonl(first->local_address);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(info));
        memcpy(CMSG_DATA(c), &info, sizeof(info));
    }
}

/* Sends message m's datagrams one by one, after the kernel refused them segmented. */
static int send_one_by_one(int fd, relay_udp_slot *slots, relay_udp_send_plan *plan, unsigned int m) {
    struct iovec *vectors = &plan->vectors[plan->vector_start[m]];
    unsigned int segments = plan->segments[m];
    int sent = 0;
    for (unsigned int k = 0; k < segments; k++) {
        plan->segments[m] = 1;
        plan->vector_start[m] = (unsigned int)(vectors - plan->vectors) + k;
        fill_message(slots, plan, m, 0);
        ssize_t result;
        do {
            result = sendmsg(fd, &plan->headers[m].msg_hdr, 0);
        } while (result < 0 && errno == EINTR);
        if (result >= 0) sent += 1;
    }
    return sent;
}

int relay_udp_send_segmented(
    int fd, relay_udp_slot *slots, unsigned int count, relay_udp_send_plan *plan, int *refused, unsigned int *sends) {
    *sends = 0;
    if (count > plan->capacity) count = plan->capacity;
    unsigned int messages = plan_messages(slots, count, plan);
    unsigned int next = 0;
    for (unsigned int m = 0; m < messages; m++) {
        plan->vector_start[m] = next;
        next += plan->segments[m];
        plan->segments[m] = 0;
    }
    for (unsigned int i = 0; i < count; i++) {
        unsigned int m = plan->message_of[i];
        struct iovec *vector = &plan->vectors[plan->vector_start[m] + plan->segments[m]++];
        vector->iov_base = slots[i].buffer;
        vector->iov_len = slots[i].length;
    }
    for (unsigned int m = 0; m < messages; m++) fill_message(slots, plan, m, 1);
    unsigned int done = 0;
    int sent = 0;
    while (done < messages) {
        int result = sendmmsg(fd, plan->headers + done, messages - done, 0);
        if (result < 0) {
            if (errno == EINTR) continue;
            /* A device without checksum offload refuses a segmented send (EIO), and one whose
               MTU is below a segment (EINVAL): the same datagrams go one by one, and after EIO
               the caller stops segmenting. Any other failure loses that message only. */
            if ((errno == EIO || errno == EINVAL) && plan->segments[done] > 1) {
                if (errno == EIO) *refused = 1;
                int alone = send_one_by_one(fd, slots, plan, done);
                sent += alone;
                *sends += (unsigned int)alone;
            }
            done += 1;
            continue;
        }
        for (int k = 0; k < result; k++) sent += (int)plan->segments[done + k];
        *sends += (unsigned int)result;
        done += (unsigned int)result;
    }
    return sent;
}

int relay_udp_receive_whole(int fd) {
    int one = 1;
    return setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof(one)) == 0 ? 0 : errno;
}
