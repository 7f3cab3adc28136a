// The rich-text editor (django-prose-editor 0.28) names its toolbar buttons in English, without
// gettext: name them in the admin's language. Its dialogs already ask window.gettext, which the
// admin's JavaScript catalog (jsi18n) defines; locale/ carries both sets of translations.
const gettext = window.gettext || ((text) => text)
const interpolate = window.interpolate || ((format, values) => format.replace("%s", values[0]))

// The editor's English names, as it writes them, with ours.
const NAMES = {
  paragraph: gettext("Paragraph"),
  "unordered list": gettext("Bulleted list"),
  "ordered list": gettext("Numbered list"),
  blockquote: gettext("Quotation"),
  bold: gettext("Bold"),
  italic: gettext("Italic"),
  underline: gettext("Underline"),
  strike: gettext("Strikethrough"),
  subscript: gettext("Subscript"),
  superscript: gettext("Superscript"),
  "horizontal rule": gettext("Horizontal rule"),
  "insert link": gettext("Insert a link"),
  "remove link": gettext("Remove the link"),
  undo: gettext("Undo"),
  redo: gettext("Redo"),
}
const HEADING = /^heading (\d)$/i

function named(text) {
  const heading = HEADING.exec(text)
  if (heading) return interpolate(gettext("Heading %s"), [heading[1]])
  return NAMES[text.toLowerCase()] || text
}

function nameButtons(root) {
  for (const element of root.querySelectorAll("[title], [aria-label]")) {
    for (const attribute of ["title", "aria-label"]) {
      const value = element.getAttribute(attribute)
      if (value && named(value) !== value) element.setAttribute(attribute, named(value))
    }
  }
  for (const option of root.querySelectorAll(".prose-menubar__option > *")) {
    const text = option.textContent
    if (named(text) !== text) option.textContent = named(text)
  }
}

// Toolbars appear when an editor starts (also in an inline row added later), and the block-type
// picker shows a fresh copy of the current block's button as the cursor moves.
new MutationObserver((mutations) => {
  for (const mutation of mutations) {
    const toolbar = mutation.target.closest?.(".prose-menubar")
    if (toolbar) nameButtons(toolbar)
    for (const node of mutation.addedNodes) {
      if (node.nodeType !== Node.ELEMENT_NODE) continue
      for (const found of node.matches(".prose-menubar") ? [node] : node.querySelectorAll(".prose-menubar")) {
        nameButtons(found)
      }
    }
  }
}).observe(document.documentElement, { childList: true, subtree: true })
document.querySelectorAll(".prose-menubar").forEach(nameButtons)
