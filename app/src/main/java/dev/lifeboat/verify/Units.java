package dev.lifeboat.verify;

import java.util.Locale;

/** Sizes as the human report shows them (decimal units, as the backup log does). */
public final class Units {
    private Units() {}

    public static String bytes(long n) {
        if (n < 1000) return n + " B";
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = n;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[i]);
    }

    static String percent(double p) {
        return String.format(Locale.ROOT, "%.1f%%", p);
    }
}
