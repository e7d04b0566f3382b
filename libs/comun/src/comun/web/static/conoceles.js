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

// Questionnaire capture: character counters, conditional questions, a copy of unsaved work in
// this browser, field error states after htmx swaps, and deadline countdowns.
(function () {
  "use strict";

  function cifra(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
  }

  function anunciar(texto) {
    var zona = document.querySelector("[data-anuncios]");
    if (zona) {
      zona.textContent = texto;
    }
  }

  // Code points, as the server counts them; never truncated, only warned about.
  function largo(texto) {
    return Array.from(texto.trim()).length;
  }

  function contar(control) {
    var salida = document.getElementById(control.id + "-contador");
    var limite = parseInt(control.dataset.limite, 10);
    if (!salida || !limite) {
      return;
    }
    var n = largo(control.value);
    var prefijo = "";
    if (control.hasAttribute("data-por-renglon")) {
      n = Math.max.apply(null, control.value.split("\n").map(largo).concat([0]));
      prefijo = "El curso más largo tiene ";
    }
    var estado = n > limite ? "excedido" : n >= limite * 0.9 ? "cerca" : "bien";
    var texto = prefijo + cifra(n) + " de " + cifra(limite) + " caracteres";
    if (estado === "excedido") {
      texto += ": sobran " + cifra(n - limite) + "; resuma el texto para poder guardarlo";
    } else if (estado === "cerca") {
      texto += ": se acerca al límite";
    }
    salida.textContent = texto;
    if (salida.dataset.estado !== estado) {
      if (salida.dataset.estado || estado !== "bien") {
        anunciar(texto);
      }
      salida.dataset.estado = estado;
      salida.className = "contador contador--" + estado;
    }
  }

  function condiciones(formulario) {
    formulario.querySelectorAll("[data-depende-de]").forEach(function (grupo) {
      var padre = formulario.elements[grupo.dataset.dependeDe];
      var aplica = !!padre && padre.value === grupo.dataset.dependeValor;
      grupo.hidden = !aplica;
      grupo.disabled = !aplica;
    });
  }

  function marcarErrores() {
    document.querySelectorAll("[data-mensaje-de]").forEach(function (zona) {
      var invalido = zona.textContent.trim() !== "";
      var destino = document.getElementById(zona.dataset.mensajeDe);
      if (!destino) {
        return;
      }
      var controles = destino.matches("fieldset")
        ? destino.querySelectorAll("input, select, textarea")
        : [destino];
      controles.forEach(function (control) {
        if (invalido) {
          control.setAttribute("aria-invalid", "true");
        } else {
          control.removeAttribute("aria-invalid");
        }
      });
      var bloque = destino.closest(".campo");
      if (bloque) {
        bloque.classList.toggle("campo--error", invalido);
      }
    });
  }

  function valores(formulario) {
    var datos = {};
    new FormData(formulario).forEach(function (valor, clave) {
      if (clave === "csrf_token" || clave === "revision") {
        return;
      }
      (datos[clave] = datos[clave] || []).push(valor);
    });
    return datos;
  }

  function aplicar(formulario, datos) {
    Array.from(formulario.elements).forEach(function (control) {
      if (!control.name || control.name === "csrf_token" || control.name === "revision") {
        return;
      }
      var lista = datos[control.name] || [];
      if (control.type === "radio" || control.type === "checkbox") {
        control.checked = lista.indexOf(control.value) !== -1;
      } else if (control.type !== "file") {
        control.value = lista[0] || "";
      }
    });
  }

  function borrador(formulario) {
    var clave = "conoceles:borrador:" + formulario.dataset.borrador;
    var aviso = document.getElementById("restaurar");
    var guardado = null;
    try {
      guardado = JSON.parse(window.localStorage.getItem(clave) || "null");
    } catch (e) {
      guardado = null;
    }
    if (guardado && JSON.stringify(guardado.datos) !== JSON.stringify(valores(formulario)) && aviso) {
      aviso.querySelector("[data-restaurar-hora]").textContent = new Date(guardado.en).toLocaleString("es-MX");
      aviso.hidden = false;
      aviso.addEventListener("click", function (evento) {
        var boton = evento.target.closest("[data-restaurar]");
        if (!boton) {
          return;
        }
        if (boton.dataset.restaurar === "si") {
          aplicar(formulario, guardado.datos);
          condiciones(formulario);
          formulario.querySelectorAll("[data-limite]").forEach(contar);
          formulario.dispatchEvent(new Event("input", { bubbles: true }));
        } else {
          window.localStorage.removeItem(clave);
        }
        aviso.hidden = true;
      });
    } else if (guardado) {
      window.localStorage.removeItem(clave);
    }
    formulario.addEventListener("input", function () {
      try {
        window.localStorage.setItem(clave, JSON.stringify({ en: Date.now(), datos: valores(formulario) }));
      } catch (e) {
        // A full or disabled storage only loses this extra copy; the server copy still saves.
      }
    });
    document.body.addEventListener("htmx:afterSettle", function () {
      if (document.querySelector("#estado-guardado [data-guardado]")) {
        window.localStorage.removeItem(clave);
      }
    });
  }

  function cuentaRegresiva() {
    document.querySelectorAll("[data-vence]").forEach(function (nodo) {
      var resto = Math.floor((Date.parse(nodo.dataset.vence) - Date.now()) / 60000);
      if (resto <= 0) {
        nodo.textContent = "plazo vencido";
        return;
      }
      var dias = Math.floor(resto / 1440);
      var horas = Math.floor((resto % 1440) / 60);
      var minutos = resto % 60;
      var n = function (v, uno, varios) {
        return v + " " + (v === 1 ? uno : varios);
      };
      nodo.textContent =
        "quedan " +
        (dias
          ? n(dias, "día", "días") + " y " + n(horas, "hora", "horas")
          : horas
            ? n(horas, "hora", "horas") + " y " + n(minutos, "minuto", "minutos")
            : n(minutos, "minuto", "minutos"));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-limite]").forEach(contar);
    document.addEventListener("input", function (evento) {
      if (evento.target.matches && evento.target.matches("[data-limite]")) {
        contar(evento.target);
      }
    });
    document.querySelectorAll("form[data-autoguardado]").forEach(function (formulario) {
      condiciones(formulario);
      formulario.addEventListener("change", function () {
        condiciones(formulario);
      });
      // Sensitive forms (identity answers) carry no data-borrador: nothing kept in the browser.
      if (formulario.dataset.borrador) {
        borrador(formulario);
      }
    });
    // The merge form arrives by htmx, so listen on the body.
    document.body.addEventListener("submit", function (evento) {
      var formulario = evento.target.closest("[data-limpia-borrador]");
      if (formulario) {
        window.localStorage.removeItem("conoceles:borrador:" + formulario.dataset.limpiaBorrador);
      }
      // Signing out leaves no unsaved copy behind on a shared computer.
      var accion = evento.target.getAttribute("action") || "";
      if (accion.endsWith("/identidad/logout")) {
        Object.keys(window.localStorage)
          .filter(function (k) { return k.indexOf("conoceles:borrador:") === 0; })
          .forEach(function (k) { window.localStorage.removeItem(k); });
      }
    });
    if (document.querySelector("[data-vence]")) {
      cuentaRegresiva();
      window.setInterval(cuentaRegresiva, 60000);
    }
  });

  // While the merge view is open, autosave waits: the user is choosing what to keep.
  document.addEventListener("htmx:confirm", function (evento) {
    var disparo = evento.detail.triggeringEvent;
    if (
      evento.detail.elt.matches("form[data-autoguardado]") &&
      document.querySelector("[data-fusion]") &&
      !(disparo && disparo.type === "submit")
    ) {
      evento.preventDefault();
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    marcarErrores();
    var fusion = document.getElementById("fusion-titulo");
    if (fusion && !fusion.dataset.visto) {
      fusion.dataset.visto = "si";
      fusion.focus();
    }
  });
})();
