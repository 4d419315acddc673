/*
 * Fills the paywall's per-reader slots (paywall/slots.py): asks the decision
 * endpoint once for every slot on the page, telling it only the host the
 * reader arrived from, and puts each answer in its slot. Without this
 * script, or when the answer fails, the slot keeps its <noscript> fallback.
 */
(function () {
  "use strict";
  var slots = document.querySelectorAll("[data-paywall-slot]");
  if (!slots.length || !window.fetch) {
    return;
  }
  var names = [];
  slots.forEach(function (slot) {
    names.push(slot.getAttribute("data-paywall-slot"));
  });
  var referrer = "";
  try {
    referrer = document.referrer ? new URL(document.referrer).hostname : "";
  } catch (error) {
    referrer = "";
  }
  var query = new URLSearchParams({ slots: names.join(","), ref: referrer });
  fetch(slots[0].getAttribute("data-paywall-url") + "?" + query.toString(), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      return response.ok ? response.json() : { slots: {} };
    })
    .then(function (answer) {
      slots.forEach(function (slot) {
        var html = answer.slots[slot.getAttribute("data-paywall-slot")];
        if (html) {
          slot.innerHTML = html;
        }
      });
    })
    .catch(function () {});
})();
