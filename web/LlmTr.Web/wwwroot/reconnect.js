// The circuit's reconnect dialog (Layout/ReconnectModal.razor). Blazor sets the state classes on the dialog and
// announces each change with a components-reconnect-state-changed event; this opens and closes the dialog and
// gives its buttons something to do. Kept in a file, with listeners added here: the pages allow no inline script.
const modal = document.getElementById("components-reconnect-modal");

if (modal) {
    modal.addEventListener("components-reconnect-state-changed", onStateChanged);
    modal.addEventListener("cancel", event => event.preventDefault()); // Escape would hide a page that does not work
    document.getElementById("components-reconnect-button")?.addEventListener("click", retry);
    document.getElementById("components-resume-button")?.addEventListener("click", resume);
    document.getElementById("llmtr-reconnect-reload")?.addEventListener("click", () => location.reload());
}

function onStateChanged(event) {
    switch (event.detail.state) {
        case "show":
        case "paused":
            if (!modal.open) {
                modal.showModal();
            }
            break;
        case "hide":
            modal.close();
            break;
        case "failed":
            document.addEventListener("visibilitychange", retryWhenVisible);
            break;
        case "rejected":
            // The server is back but no longer knows this circuit: a fresh page is the only way on.
            location.reload();
            break;
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenVisible);
    try {
        // true: connected again; false: the server answered but the circuit is gone; a throw: the server is still away.
        if (await Blazor.reconnect()) {
            return;
        }

        if (await Blazor.resumeCircuit()) {
            modal.close();
        } else {
            location.reload();
        }
    } catch {
        document.addEventListener("visibilitychange", retryWhenVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            location.reload();
        }
    } catch {
        modal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
