package org.wsgi4j.server;

import java.util.Locale;

/** SPEC E9: one textual form of an IP address on every host. */
final class Addresses {

    private Addresses() {
    }

    /**
     * An IPv6 address without brackets in its RFC 5952 form (lower-case hex, leading zeros
     * dropped, the longest run of two or more zero groups as {@code ::}), a zone id kept; anything
     * else (IPv4, a unix socket path) as given.
     */
    static String normalize(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        String bare = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int percent = bare.indexOf('%');
        String zone = percent < 0 ? "" : bare.substring(percent);
        int[] groups = parse(percent < 0 ? bare : bare.substring(0, percent));
        return groups == null ? bare : format(groups) + zone;
    }

    /** The eight groups of an IPv6 literal, or null if it is not one (then it is passed on as is). */
    private static int[] parse(String text) {
        int gap = text.indexOf("::");
        String[] head = gap < 0 ? text.split(":", -1) : split(text.substring(0, gap));
        String[] tail = gap < 0 ? new String[0] : split(text.substring(gap + 2));
        int[] groups = new int[8];
        int count = head.length + tail.length;
        String last = tail.length > 0 ? tail[tail.length - 1] : head.length > 0 ? head[head.length - 1] : "";
        boolean ipv4Tail = last.indexOf('.') >= 0;
        if (ipv4Tail) {
            count++;
        }
        if (count > 8 || (gap < 0 && count != 8) || (gap >= 0 && count == 8)) {
            return null;
        }
        try {
            int at = 0;
            for (String group : head) {
                at = put(groups, at, group);
            }
            at = 8 - tail.length - (ipv4Tail && tail.length > 0 ? 1 : 0);
            for (String group : tail) {
                at = put(groups, at, group);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return groups;
    }

    private static String[] split(String part) {
        return part.isEmpty() ? new String[0] : part.split(":", -1);
    }

    private static int put(int[] groups, int at, String group) {
        if (group.indexOf('.') >= 0) {
            String[] octets = group.split("\\.", -1);
            if (octets.length != 4) {
                throw new NumberFormatException(group);
            }
            int[] value = new int[4];
            for (int i = 0; i < 4; i++) {
                value[i] = Integer.parseInt(octets[i]);
                if (value[i] > 255 || octets[i].isEmpty()) {
                    throw new NumberFormatException(group);
                }
            }
            groups[at] = value[0] << 8 | value[1];
            groups[at + 1] = value[2] << 8 | value[3];
            return at + 2;
        }
        if (group.isEmpty() || group.length() > 4) {
            throw new NumberFormatException(group);
        }
        groups[at] = Integer.parseInt(group, 16);
        return at + 1;
    }

    private static String format(int[] groups) {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]).toLowerCase(Locale.ROOT));
        }
        return text.toString();
    }
}
