// Conóceles: tells the user when an htmx request fails, instead of silently doing nothing.
(function () {
  "use strict";

  function avisar(texto) {
    var zona = document.getElementById("avisos");
    if (!zona) {
      return;
    }
    var parrafo = document.createElement("p");
    parrafo.className = "aviso aviso--error";
    parrafo.textContent = texto;
    zona.replaceChildren(parrafo);
  }

  function detalle(xhr) {
    var tipo = xhr.getResponseHeader("Content-Type") || "";
    try {
      if (tipo.indexOf("json") !== -1) {
        return JSON.parse(xhr.responseText).detail || "";
      }
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var nodo = doc.querySelector(".error__detalle");
      return nodo ? nodo.textContent.trim() : "";
    } catch (e) {
      return "";
    }
  }

  document.addEventListener("htmx:responseError", function (evento) {
    var xhr = evento.detail.xhr;
    avisar(
      detalle(xhr) ||
        "No se pudo completar la acción (código " + xhr.status + "). Inténtelo de nuevo."
    );
  });

  document.addEventListener("htmx:sendError", function () {
    avisar("No se pudo conectar con el servidor; revise su conexión e inténtelo de nuevo.");
  });

  // With Keycloak the session token lives minutes: renew it while the page is open, so a long
  // form is not lost to a sign-in redirect when it is finally sent.
  var renovar = document.querySelector('meta[name="renovar-sesion"]');
  var csrf = document.querySelector('meta[name="csrf-token"]');
  if (renovar && csrf) {
    window.setInterval(function () {
      fetch(renovar.content, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf.content },
      }).catch(function () {});
    }, 4 * 60 * 1000);
  }
})();
