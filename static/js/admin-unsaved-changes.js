// Warns before leaving an admin edit form with changes that are not saved yet. The form is
// marked by a [data-warn-unsaved] element inside it (set to "on" once the warning is armed);
// submitting it (Save, or a workflow button, which saves first) leaves without a warning.
"use strict";

{
  // A form's state as text. Multiple selects count all their options: the "chosen" box of a
  // filter_horizontal widget selects its options only when the form is submitted.
  const state = (form) => {
    const parts = [];
    for (const element of form.elements) {
      if (!element.name || element.closest("dialog")) continue;
      if (element.type === "submit" || element.type === "button") continue;
      let value = element.value;
      if (element.type === "checkbox" || element.type === "radio") value = element.checked;
      else if (element.multiple) value = [...element.options].map((option) => option.value);
      parts.push([element.name, value]);
    }
    return JSON.stringify(parts);
  };

  const guard = (form) => {
    const saved = state(form);
    let submitting = false;
    form.addEventListener("submit", () => {
      submitting = true;
    });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || state(form) === saved) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers show the dialog only with a return value
    });
  };

  // After "load" and its other listeners: the admin's widgets rebuild their inputs then.
  window.addEventListener("load", () => {
    setTimeout(() => {
      for (const marker of document.querySelectorAll("[data-warn-unsaved]")) {
        const form = marker.closest("form");
        if (!form) continue;
        guard(form);
        marker.dataset.warnUnsaved = "on"; // armed (what a test waits for)
      }
    });
  });
}
