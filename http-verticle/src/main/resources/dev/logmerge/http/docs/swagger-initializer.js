// Replaces the webjar's file of the same name, which shows a demo API from the internet: this one
// shows the API's own document, and sends nothing to the online validator (validatorUrl: null).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
  });
};
