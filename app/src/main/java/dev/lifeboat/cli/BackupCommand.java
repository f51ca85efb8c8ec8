package dev.lifeboat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Dump the database, compress, encrypt and upload it, then write the manifest.")
public final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    LifeboatCommand root;

    @Override
    public Integer call() {
        throw dev.lifeboat.LifeboatException.failed("backup is being built");
    }
}
