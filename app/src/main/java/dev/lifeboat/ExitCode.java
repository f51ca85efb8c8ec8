package dev.lifeboat;

/** The one table from outcome to process exit code (DESIGN.md, "Exit codes"). */
public enum ExitCode {
    OK(0, "done and every check held"),
    CHECK_FAILED(1, "a check failed (verify, drill, check, rotate's refusal)"),
    USAGE(2, "usage or configuration error, including a missing or wrong key"),
    FAILED(3, "the work failed (dump, upload, restore, a damaged backup during restore), or an unexpected error"),
    LOCKED(75, "another run holds the lock"),
    INTERRUPTED(130, "interrupted by SIGINT after cleaning up"),
    TERMINATED(143, "terminated by SIGTERM after cleaning up");

    public final int code;
    public final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The lines every command's --help shows under "Exit codes:". */
    public static String[] helpLines() {
        ExitCode[] all = values();
        String[] lines = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            lines[i] = String.format("%3d  %s", all[i].code, all[i].meaning);
        }
        return lines;
    }
}
